/**
 * How long the server asked us to wait: the `Retry-After` header (delay in seconds, or an
 * HTTP-date) first, then the body's deprecated `retry_after_ms`. Undefined when neither is usable.
 *
 * @param header - the `Retry-After` header value, if any.
 * @param body - the parsed error body.
 * @param now - current time in ms since the epoch, for HTTP-dates.
 *
 * @example
 * ```ts
 * retryAfterMs("7", undefined, Date.now());                               // 7000
 * retryAfterMs(null, { errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 2500 }, Date.now()); // 2500
 * ```
 * @see https://spec.matrix.org/latest/client-server-api/#rate-limiting
 */
export function retryAfterMs(
  header: string | null | undefined,
  body: unknown,
  now: number,
): number | undefined {
  const trimmed = header?.trim();
  if (trimmed) {
    if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
    // An HTTP-date always names its month; this keeps `Date.parse` away from bare numbers like "-1".
    const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (typeof body === "object" && body !== null) {
    const value = (body as { retry_after_ms?: unknown }).retry_after_ms;
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}
