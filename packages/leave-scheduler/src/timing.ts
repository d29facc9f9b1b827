import { LeaveSchedulerError } from "./leave-scheduler-error.js";

/**
 * How often and how far ahead the delayed leave is pushed back.
 *
 * @example
 * ```ts
 * const timing: LeaveTiming = { delayMs: 8000, restartIntervalMs: 6000, restartTimeoutMs: 2000 };
 * ```
 */
export interface LeaveTiming {
  /** The delay of the scheduled leave: the worst-case time from a crash to the leave. */
  readonly delayMs: number;

  /** Gap between the starts of two restarts (heartbeats). */
  readonly restartIntervalMs: number;

  /** Upper bound of the local timeout of one restart request. */
  readonly restartTimeoutMs: number;
}

/**
 * Default timing when the client heartbeats on its own: 8 s delay, restart every 6 s, 2 s local
 * timeout. 10 restarts per minute (matrix-js-sdk: 12) with the same 8 s worst-case detection.
 * See the README, "Timing", for the reasoning.
 *
 * @example
 * ```ts
 * import { DEFAULT_LEAVE_TIMING } from "@mxrtc/leave-scheduler";
 * 60_000 / DEFAULT_LEAVE_TIMING.restartIntervalMs; // 10 restarts per minute
 * ```
 */
export const DEFAULT_LEAVE_TIMING: LeaveTiming = Object.freeze({
  delayMs: 8_000,
  restartIntervalMs: 6_000,
  restartTimeoutMs: 2_000,
});

/**
 * Timing when an SFU-side service holds the delegation (`delegated: true`): 60 s delay, restart
 * every 45 s, 5 s timeout. The service sends the leave when the SFU sees us drop; the client's
 * own heartbeat is only the backstop for when the service itself fails (1.3 requests per minute).
 *
 * @example
 * ```ts
 * import { DELEGATED_LEAVE_TIMING } from "@mxrtc/leave-scheduler";
 * DELEGATED_LEAVE_TIMING.delayMs; // 60000
 * ```
 */
export const DELEGATED_LEAVE_TIMING: LeaveTiming = Object.freeze({
  delayMs: 60_000,
  restartIntervalMs: 45_000,
  restartTimeoutMs: 5_000,
});

/**
 * The smallest delay the scheduler lowers to on `M_MAX_DELAY_EXCEEDED` (and the smallest
 * `delayMs` it accepts).
 *
 * @example
 * ```ts
 * import { MINIMUM_DELAY_MS } from "@mxrtc/leave-scheduler";
 * MINIMUM_DELAY_MS; // 1000
 * ```
 */
export const MINIMUM_DELAY_MS = 1_000;

/**
 * The smallest adaptive local timeout for one restart request: longer than the 0.5 s Synapse holds
 * every 429 before answering, so a rate-limited heartbeat reads its Retry-After instead of being
 * abandoned a few milliseconds before the answer arrives.
 */
export const MINIMUM_RESTART_TIMEOUT_MS = 1_000;

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0;
}

/**
 * Checks and completes the timing options.
 *
 * @throws LeaveSchedulerError `"invalid-options"` when a value is not a positive whole number, the
 * delay is under {@link MINIMUM_DELAY_MS}, or the restart interval is not shorter than the delay.
 *
 * @example
 * ```ts
 * import { resolveLeaveTiming } from "@mxrtc/leave-scheduler";
 * resolveLeaveTiming({ delayMs: 10_000 }); // { delayMs: 10000, restartIntervalMs: 7500, restartTimeoutMs: 2000 }
 * ```
 */
export function resolveLeaveTiming(options: {
  readonly delegated?: boolean | undefined;
  readonly delayMs?: number | undefined;
  readonly restartIntervalMs?: number | undefined;
  readonly restartTimeoutMs?: number | undefined;
}): LeaveTiming {
  const base = options.delegated === true ? DELEGATED_LEAVE_TIMING : DEFAULT_LEAVE_TIMING;
  const timing: LeaveTiming = {
    delayMs: options.delayMs ?? base.delayMs,
    restartIntervalMs:
      options.restartIntervalMs ??
      (options.delayMs === undefined
        ? base.restartIntervalMs
        : Math.round((options.delayMs * base.restartIntervalMs) / base.delayMs)),
    restartTimeoutMs: options.restartTimeoutMs ?? base.restartTimeoutMs,
  };
  for (const [name, value] of Object.entries(timing)) {
    if (!isPositiveInteger(value)) {
      throw new LeaveSchedulerError(
        "invalid-options",
        `${name} must be a positive whole number of milliseconds, got ${String(value)}`,
      );
    }
  }
  if (timing.delayMs < MINIMUM_DELAY_MS) {
    throw new LeaveSchedulerError(
      "invalid-options",
      `delayMs must be at least ${MINIMUM_DELAY_MS}, got ${timing.delayMs}`,
    );
  }
  if (timing.restartIntervalMs >= timing.delayMs) {
    throw new LeaveSchedulerError(
      "invalid-options",
      `restartIntervalMs (${timing.restartIntervalMs}) must be shorter than delayMs (${timing.delayMs})`,
    );
  }
  return timing;
}

/**
 * The restart interval for a delay the server made us lower: keeps the configured ratio of
 * interval to delay, never longer than configured.
 */
export function restartIntervalForDelay(timing: LeaveTiming, delayMs: number): number {
  if (delayMs >= timing.delayMs) return timing.restartIntervalMs;
  return Math.max(1, Math.floor((delayMs * timing.restartIntervalMs) / timing.delayMs));
}

/**
 * The local timeout of the next restart: four round trips + 250 ms (at least
 * {@link MINIMUM_RESTART_TIMEOUT_MS}) once a round trip was measured, else the configured maximum;
 * never more than the configured maximum. Before the deadline it is also cut to the time left, so
 * the deadline is noticed when it passes (the request itself still reaches the server).
 */
export function restartTimeoutFor(input: {
  readonly maximumMs: number;
  readonly roundTripMs: number | undefined;
  readonly remainingMs: number;
}): number {
  const adaptive =
    input.roundTripMs === undefined
      ? input.maximumMs
      : Math.min(
          input.maximumMs,
          Math.max(MINIMUM_RESTART_TIMEOUT_MS, Math.round(4 * input.roundTripMs + 250)),
        );
  if (input.remainingMs <= 0) return adaptive;
  return Math.max(1, Math.min(adaptive, input.remainingMs));
}

/**
 * Exponential back-off with jitter: `min(cap, base·2^attempt)`, scaled by a factor in [0.5, 1).
 *
 * @param attempt - 0 for the first retry.
 * @param random - a source of numbers in [0, 1).
 */
export function backoffMs(
  attempt: number,
  random: () => number,
  options: { readonly baseMs: number; readonly capMs: number },
): number {
  const exponential = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const factor = 0.5 + Math.min(Math.max(random(), 0), 0.999_999) * 0.5;
  return Math.max(1, Math.round(exponential * factor));
}
