import type { MatrixPort } from "@mxrtc/matrix";
import { parseTransport, type RtcTransport } from "@mxrtc/types";

/** `GET` path of the MSC4143 transports endpoint. */
export const RTC_TRANSPORTS_PATH = "/_matrix/client/unstable/org.matrix.msc4143/rtc/transports";
/** The deployed `.well-known/matrix/client` key of the foci list. */
export const WELL_KNOWN_FOCI_KEY = "org.matrix.msc4143.rtc_foci";

function parseList(value: unknown): RtcTransport[] {
  if (!Array.isArray(value)) return [];
  const result: RtcTransport[] = [];
  for (const entry of value) {
    const parsed = parseTransport(entry);
    if (parsed.ok) result.push(parsed.value);
  }
  return result;
}

/**
 * The transports our homeserver offers, for `foci_preferred` / `transports.published`:
 * `GET /_matrix/client/unstable/org.matrix.msc4143/rtc/transports` (`rtc_transports`), else
 * `.well-known/matrix/client` `org.matrix.msc4143.rtc_foci`, else `[]`.
 *
 * @remarks Never throws: an unreachable or malformed source counts as empty. Invalid entries are
 * skipped.
 * @example
 * ```ts
 * const transports = await discoverTransports(matrix);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4158
 */
export async function discoverTransports(
  matrix: Pick<MatrixPort, "request">,
  options: { readonly signal?: AbortSignal } = {},
): Promise<readonly RtcTransport[]> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  try {
    const body = await matrix.request<{ rtc_transports?: unknown }>({
      method: "GET",
      path: RTC_TRANSPORTS_PATH,
      ...signal,
    });
    const transports = parseList(body?.rtc_transports);
    if (transports.length > 0) return transports;
  } catch {
    // Not offered: fall through to .well-known.
  }
  try {
    const body = await matrix.request<Record<string, unknown>>({
      method: "GET",
      path: "/.well-known/matrix/client",
      auth: false,
      ...signal,
    });
    return parseList(body?.[WELL_KNOWN_FOCI_KEY]);
  } catch {
    return [];
  }
}
