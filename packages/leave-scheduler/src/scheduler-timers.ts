import type { Clock } from "./clock.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";

/** Which sleeps an interruption wakes (internal). */
export type SleepKind = "heartbeat" | "operation";

/**
 * Cancellable sleeps and local request timeouts on an injected clock (internal). Every timer it
 * creates is cleared when its promise settles, so nothing outlives `close()`.
 */
export function createSchedulerTimers(clock: Clock) {
  const sleepers = new Map<() => void, SleepKind>();

  return {
    /** Resolves after `ms`, or earlier when woken. Never rejects. */
    sleep(ms: number, kind: SleepKind): Promise<void> {
      return new Promise<void>((resolve) => {
        let handle: unknown;
        const finish = (): void => {
          if (!sleepers.has(finish)) return;
          sleepers.delete(finish);
          clock.clearTimeout(handle);
          resolve();
        };
        sleepers.set(finish, kind);
        handle = clock.setTimeout(finish, Math.max(0, ms));
      });
    },

    /** Wakes the sleeps of one kind, or all. */
    wake(kind?: SleepKind): void {
      for (const [finish, sleepKind] of [...sleepers]) {
        if (kind === undefined || sleepKind === kind) finish();
      }
    },

    /**
     * Runs `run` with an `AbortSignal` that aborts after `ms`; rejects with a
     * `LeaveSchedulerError("timeout")` then, even if `run` ignores the signal. A late settlement
     * of `run` is absorbed, so it never becomes an unhandled rejection.
     */
    withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, ms: number, what: string): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const controller = new AbortController();
        let settled = false;
        const handle = clock.setTimeout(() => {
          if (settled) return;
          settled = true;
          const error = new LeaveSchedulerError("timeout", `${what}: no reply within ${ms} ms`);
          controller.abort(error);
          reject(error);
        }, ms);
        let promise: Promise<T>;
        try {
          promise = run(controller.signal);
        } catch (error) {
          promise = Promise.reject(error);
        }
        Promise.resolve(promise).then(
          (value) => {
            if (settled) return;
            settled = true;
            clock.clearTimeout(handle);
            resolve(value);
          },
          (error: unknown) => {
            if (settled) return;
            settled = true;
            clock.clearTimeout(handle);
            reject(error);
          },
        );
      });
    },
  };
}

/**
 * A retry budget for one operation (internal); a fresh one per join, update and rejoin (js-
 * sdk#5517).
 */
export interface RetryBudget {
  transient: number;
  rateLimited: number;
}

/** A fresh {@link RetryBudget}. */
export function freshBudget(): RetryBudget {
  return { transient: 0, rateLimited: 0 };
}
