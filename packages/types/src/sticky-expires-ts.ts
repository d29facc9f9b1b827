import { MAX_STICKY_DURATION_MS } from "./constants.js";
import { field, isRecord, type JsonRecord } from "./read.js";

function numberAt(record: unknown, ...keys: string[]): number | undefined {
  if (!isRecord(record)) return undefined;
  for (const key of keys) {
    const value = field(record, key);
    if (typeof value === "number" && Number.isFinite(value)) return value;
  }
  return undefined;
}

const clampDuration = (value: number) => Math.min(Math.max(value, 0), MAX_STICKY_DURATION_MS);

/**
 * When a received MSC4354 sticky event stops being sticky (absolute ms), or `undefined` if it is
 * not a sticky event. Never throws.
 *
 * @remarks Reads the top-level `sticky` (unstable `msc4354_sticky`) `{ duration_ms }`, capped at
 * {@link MAX_STICKY_DURATION_MS} (1 h). With a `receivedTs` and an `unsigned.sticky_duration_ttl_ms`
 * (unstable `unsigned.msc4354_sticky_duration_ttl_ms`), the result is `receivedTs + ttl` (ttl also
 * capped). Otherwise it is `min(origin_server_ts, receivedTs) + duration` (the MSC4354 rule, so a
 * sender clock ahead of ours cannot stretch stickiness); `receivedTs + duration` if the event has no
 * `origin_server_ts`; `undefined` if neither timestamp is known.
 * @param event - the untrusted client event.
 * @param receivedTs - when this client received the event (e.g. the sync batch's time).
 * @example
 * ```ts
 * stickyExpiresTs({ origin_server_ts: 1000, msc4354_sticky: { duration_ms: 3_600_000 } }); // 3_601_000
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export function stickyExpiresTs(event: unknown, receivedTs?: number): number | undefined {
  try {
    if (!isRecord(event)) return undefined;
    const sticky = field(event, "sticky") ?? field(event, "msc4354_sticky");
    const duration = numberAt(sticky, "duration_ms");
    if (duration === undefined) return undefined;
    const received =
      typeof receivedTs === "number" && Number.isFinite(receivedTs) ? receivedTs : undefined;
    const ttl = numberAt(
      field(event, "unsigned"),
      "sticky_duration_ttl_ms",
      "msc4354_sticky_duration_ttl_ms",
    );
    if (received !== undefined && ttl !== undefined) return received + clampDuration(ttl);
    const origin = numberAt(event as JsonRecord, "origin_server_ts");
    const start =
      origin === undefined
        ? received
        : received === undefined
          ? origin
          : Math.min(origin, received);
    return start === undefined ? undefined : start + clampDuration(duration);
  } catch {
    return undefined;
  }
}
