import type { RtcDiagnostic } from "./rtc-diagnostic.js";

/** A persistent, bounded log of diagnostics (newest first, as a cons list). Internal. */
export interface DiagnosticLog {
  readonly head: RtcDiagnostic | undefined;
  readonly tail: DiagnosticLog | undefined;
  /** Number of diagnostics held in this list. */
  readonly length: number;
  /** Diagnostics dropped because the log was full. */
  readonly dropped: number;
}

/** The empty log. */
export const EMPTY_DIAGNOSTIC_LOG: DiagnosticLog = {
  head: undefined,
  tail: undefined,
  length: 0,
  dropped: 0,
};

/**
 * Prepend a diagnostic. The list may hold up to `2 × max` items; when it reaches that, it is
 * rebuilt with the newest `max` (amortised O(1) per push), and the rest counted as dropped.
 */
export function pushDiagnostic(
  log: DiagnosticLog,
  diagnostic: RtcDiagnostic,
  max: number,
): DiagnosticLog {
  const next: DiagnosticLog = {
    head: diagnostic,
    tail: log,
    length: log.length + 1,
    dropped: log.dropped,
  };
  if (next.length <= Math.max(2 * max, 1)) return next;
  const kept = newestFirst(next).slice(0, max);
  let rebuilt: DiagnosticLog = {
    ...EMPTY_DIAGNOSTIC_LOG,
    dropped: next.dropped + (next.length - kept.length),
  };
  for (let index = kept.length - 1; index >= 0; index--) {
    rebuilt = {
      head: kept[index],
      tail: rebuilt,
      length: rebuilt.length + 1,
      dropped: rebuilt.dropped,
    };
  }
  return rebuilt;
}

/** Every diagnostic held, newest first. */
export function newestFirst(log: DiagnosticLog): RtcDiagnostic[] {
  const result: RtcDiagnostic[] = [];
  for (let node: DiagnosticLog | undefined = log; node?.head !== undefined; node = node.tail)
    result.push(node.head);
  return result;
}
