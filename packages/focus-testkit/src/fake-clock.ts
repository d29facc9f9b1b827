/**
 * Options for {@link createFakeClock}.
 *
 * @example
 * ```ts
 * const options: FakeClockOptions = { nowTs: 1_700_000_000_000 };
 * ```
 */
export interface FakeClockOptions {
  /** The clock's start time in Unix milliseconds. Default `0`. */
  readonly nowTs?: number;
}

/**
 * A manual clock for plugin unit tests: timers fire only when the test calls
 * {@link FakeClock.advance}.
 *
 * @remarks Structurally a `Clock` as `@mxrtc/leave-scheduler` and the plugins in this toolkit
 * take it (`now`, `setTimeout`, `clearTimeout`), so it can be injected wherever time is.
 *
 * @example
 * ```ts
 * import { createFakeClock, type FakeClock } from "@mxrtc/focus-testkit";
 *
 * const clock: FakeClock = createFakeClock();
 * clock.advance(5000);
 * clock.now(); // 5000
 * ```
 */
export interface FakeClock {
  /** The current fake time in Unix milliseconds. */
  now(): number;
  /** Schedules `callback` after `delayMs` fake milliseconds (negative or NaN counts as 0). */
  setTimeout(callback: () => void, delayMs: number): number;
  /** Cancels a timer; unknown or already fired handles are ignored. */
  clearTimeout(handle: unknown): void;
  /**
   * Moves time forward by `durationMs`, firing due timers in time order (ties in scheduling
   * order), including timers scheduled by callbacks while advancing.
   */
  advance(durationMs: number): void;
  /** How many timers are scheduled and not yet fired or cleared. */
  readonly pendingTimers: number;
}

interface ScheduledTimer {
  readonly handle: number;
  readonly dueTs: number;
  readonly callback: () => void;
}

/**
 * Creates a {@link FakeClock}.
 *
 * @remarks A callback that throws does not stop `advance`: the remaining due timers still fire,
 * and the first error is rethrown when `advance` returns.
 *
 * @example
 * ```ts
 * import { createFakeClock } from "@mxrtc/focus-testkit";
 *
 * const clock = createFakeClock();
 * let fired = false;
 * clock.setTimeout(() => {
 *   fired = true;
 * }, 1000);
 * clock.advance(999); // fired === false, clock.pendingTimers === 1
 * clock.advance(1); // fired === true, clock.pendingTimers === 0
 * ```
 */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  let nowTs = options.nowTs ?? 0;
  let nextHandle = 1;
  const timers = new Map<number, ScheduledTimer>();

  function nextDue(untilTs: number): ScheduledTimer | undefined {
    let earliest: ScheduledTimer | undefined;
    for (const timer of timers.values()) {
      if (timer.dueTs > untilTs) continue;
      if (earliest === undefined || timer.dueTs < earliest.dueTs) earliest = timer;
    }
    return earliest;
  }

  return {
    now: () => nowTs,
    setTimeout(callback, delayMs) {
      const handle = nextHandle++;
      const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
      timers.set(handle, { handle, dueTs: nowTs + delay, callback });
      return handle;
    },
    clearTimeout(handle) {
      if (typeof handle === "number") timers.delete(handle);
    },
    advance(durationMs) {
      const untilTs = nowTs + (Number.isFinite(durationMs) && durationMs > 0 ? durationMs : 0);
      const errors: unknown[] = [];
      for (let timer = nextDue(untilTs); timer !== undefined; timer = nextDue(untilTs)) {
        timers.delete(timer.handle);
        nowTs = Math.max(nowTs, timer.dueTs);
        try {
          timer.callback();
        } catch (error) {
          errors.push(error);
        }
      }
      nowTs = untilTs;
      if (errors.length > 0) throw errors[0];
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}
