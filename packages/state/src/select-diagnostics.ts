import { type DiagnosticLog, newestFirst } from "./diagnostic-log.js";
import { type RoomRtcState, stateData } from "./room-rtc-state.js";
import type { RtcDiagnostic } from "./rtc-diagnostic.js";

const cache = new WeakMap<DiagnosticLog, readonly RtcDiagnostic[]>();

/**
 * Every rejected or ignored event still held, oldest first, with the reason.
 *
 * @remarks Bounded by `maxDiagnostics` (default 1000); {@link selectDroppedDiagnosticCount}
 * says how many older ones were dropped. Cached per state.
 * @example
 * ```ts
 * for (const diagnostic of selectDiagnostics(state)) console.warn(diagnostic.code, diagnostic.eventId, diagnostic.message);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function selectDiagnostics(state: RoomRtcState): readonly RtcDiagnostic[] {
  const data = stateData(state);
  const cached = cache.get(data.diagnostics);
  if (cached !== undefined) return cached;
  const all = newestFirst(data.diagnostics).slice(0, data.maxDiagnostics).reverse();
  const result = Object.freeze(all);
  cache.set(data.diagnostics, result);
  return result;
}

/**
 * How many diagnostics were dropped because more than `maxDiagnostics` were recorded.
 *
 * @example
 * ```ts
 * const total = selectDiagnostics(state).length + selectDroppedDiagnosticCount(state);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function selectDroppedDiagnosticCount(state: RoomRtcState): number {
  const data = stateData(state);
  return data.diagnostics.dropped + Math.max(0, data.diagnostics.length - data.maxDiagnostics);
}
