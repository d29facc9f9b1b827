/**
 * Time source for delegation jobs and retries; injected so tests drive it with a fake clock.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => 0, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as never) };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The real clock; reads the globals at call time so vitest fake timers work. Its timers are
 * `unref`ed so they never keep a process alive.
 *
 * @example
 * ```ts
 * createDelegationManager({ ...options, clock: systemClock });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
}
