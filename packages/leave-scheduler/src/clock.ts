/**
 * The time source of the leave scheduler.
 *
 * @remarks Every timer and every "now" the scheduler uses comes from here, so tests can drive it
 * with a fake clock and a child process can run it on real time. `now()` is Unix milliseconds.
 *
 * @example
 * ```ts
 * const clock: Clock = {
 *   now: () => Date.now(),
 *   setTimeout: (callback, ms) => setTimeout(callback, ms),
 *   clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
 * };
 * ```
 */
export interface Clock {
  /** The current time in Unix milliseconds. */
  now(): number;

  /**
   * Run `callback` once after `ms` milliseconds; returns a handle for {@link Clock.clearTimeout}.
   */
  setTimeout(callback: () => void, ms: number): unknown;

  /** Cancel a timer from {@link Clock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: unknown): void;
}

/**
 * The default clock: wraps `Date.now`, `setTimeout` and `clearTimeout`.
 *
 * @remarks The globals are looked up on every call, not captured at import time, so test fake
 * timers installed after this module loaded (`vi.useFakeTimers()`) still take effect.
 *
 * @example
 * ```ts
 * import { systemClock } from "@mxrtc/leave-scheduler";
 * const handle = systemClock.setTimeout(() => console.log("tick"), 1000);
 * systemClock.clearTimeout(handle);
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number): unknown => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: unknown): void => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
});
