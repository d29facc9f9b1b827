/**
 * A timer or interval the tracker saw created and not yet fired or cleared.
 *
 * @example
 * ```ts
 * const timer: TrackedTimer = { kind: "interval", delayMs: 1000, createdAt: "Error\n    at …" };
 * ```
 */
export interface TrackedTimer {
  /** `setTimeout` or `setInterval`. */
  readonly kind: "timeout" | "interval";
  /** The delay it was created with. */
  readonly delayMs: number;
  /** The stack trace where it was created, for failure messages. */
  readonly createdAt: string;
}

/**
 * Options for {@link installTimerTracker}.
 *
 * @example
 * ```ts
 * const options: TimerTrackerOptions = { ignore: (timer) => timer.createdAt.includes("/ws/") };
 * ```
 */
export interface TimerTrackerOptions {
  /**
   * Timers for which this returns true are not counted. Default: none. Timers the JavaScript
   * runtime creates for itself (a frame in `node:internal/` called `setTimeout`, e.g. Node's
   * built-in `fetch` keep-alive timers) are never counted.
   */
  readonly ignore?: (timer: TrackedTimer) => boolean;
}

/**
 * Counts the timers and intervals alive since {@link installTimerTracker} was called.
 *
 * @example
 * ```ts
 * import { installTimerTracker, type TimerTracker } from "@mxrtc/focus-testkit";
 *
 * const tracker: TimerTracker = installTimerTracker();
 * for (const timer of tracker.pending()) console.log(timer.kind, timer.createdAt);
 * tracker.restore();
 * ```
 */
export interface TimerTracker {
  /** How many timeouts and intervals are alive (created, not fired or cleared). */
  readonly pendingCount: number;
  /** The live timers, oldest first. */
  pending(): readonly TrackedTimer[];
  /** Puts the original global functions back. Idempotent. Live timers keep running. */
  restore(): void;
}

type TimerFunction = (callback: unknown, delay?: number, ...args: unknown[]) => unknown;
type ClearFunction = (handle: unknown) => void;
type TimerGlobals = Record<
  "setTimeout" | "setInterval" | "clearTimeout" | "clearInterval",
  TimerFunction | ClearFunction
>;

/** True when the first caller frame below this module is the runtime's own code. */
function isRuntimeInternal(stack: string): boolean {
  const frames = stack.split("\n").slice(1);
  const caller = frames.find((frame) => !frame.includes("timer-tracker."));
  return caller?.includes("node:internal/") === true;
}

function copyOwnProperties(from: object, to: object): void {
  for (const key of Reflect.ownKeys(from)) {
    if (key in to) continue;
    const descriptor = Object.getOwnPropertyDescriptor(from, key);
    if (descriptor !== undefined) Object.defineProperty(to, key, descriptor);
  }
}

/**
 * Wraps `globalThis.setTimeout`, `setInterval`, `clearTimeout` and `clearInterval` so that every
 * timer created from now on is counted until it fires (timeouts) or is cleared.
 *
 * @remarks The conformance suite installs one around each check and asserts `pendingCount` is 0
 * after `close()`. Handles are matched by identity and, for Node's `Timeout` objects, also by
 * their numeric id. Timers created before installation, timers from `node:timers/promises` or
 * `setImmediate`, and timers the runtime creates for itself (Node's built-in `fetch` keeps
 * sockets alive with them) are not counted. Install it while real timers are active; `restore()` in a
 * `finally`.
 *
 * @example
 * ```ts
 * import { installTimerTracker } from "@mxrtc/focus-testkit";
 *
 * const tracker = installTimerTracker();
 * try {
 *   const handle = setInterval(() => {}, 1000);
 *   tracker.pendingCount; // 1
 *   clearInterval(handle);
 *   tracker.pendingCount; // 0
 * } finally {
 *   tracker.restore();
 * }
 * ```
 */
export function installTimerTracker(options: TimerTrackerOptions = {}): TimerTracker {
  const target = globalThis as unknown as TimerGlobals;
  const original = {
    setTimeout: target.setTimeout as TimerFunction,
    setInterval: target.setInterval as TimerFunction,
    clearTimeout: target.clearTimeout as ClearFunction,
    clearInterval: target.clearInterval as ClearFunction,
  };
  const live = new Map<unknown, TrackedTimer>();
  let restored = false;

  const forget = (handle: unknown): void => {
    if (live.delete(handle)) return;
    if (typeof handle !== "number" && typeof handle !== "string") return;
    for (const key of live.keys()) {
      if (typeof key === "object" && key !== null && Number(key) === Number(handle)) {
        live.delete(key);
        return;
      }
    }
  };

  const wrapCreate = (kind: TrackedTimer["kind"], create: TimerFunction): TimerFunction => {
    const wrapper: TimerFunction = (callback, delay, ...args) => {
      if (typeof callback !== "function") return create.call(globalThis, callback, delay, ...args);
      const entry: TrackedTimer = {
        kind,
        delayMs: Number(delay ?? 0),
        createdAt: new Error("timer created here").stack ?? "(no stack)",
      };
      if (isRuntimeInternal(entry.createdAt) || options.ignore?.(entry) === true) {
        return create.call(globalThis, callback, delay, ...args);
      }
      let handle: unknown;
      const run = (...runArgs: unknown[]): unknown => {
        if (kind === "timeout") live.delete(handle);
        return (callback as (...values: unknown[]) => unknown)(...runArgs);
      };
      handle = create.call(globalThis, run, delay, ...args);
      live.set(handle, entry);
      return handle;
    };
    copyOwnProperties(create, wrapper);
    return wrapper;
  };

  const wrapClear = (clear: ClearFunction): ClearFunction => {
    const wrapper: ClearFunction = (handle) => {
      forget(handle);
      clear.call(globalThis, handle);
    };
    copyOwnProperties(clear, wrapper);
    return wrapper;
  };

  target.setTimeout = wrapCreate("timeout", original.setTimeout);
  target.setInterval = wrapCreate("interval", original.setInterval);
  target.clearTimeout = wrapClear(original.clearTimeout);
  target.clearInterval = wrapClear(original.clearInterval);

  return {
    get pendingCount() {
      return live.size;
    },
    pending: () => [...live.values()],
    restore() {
      if (restored) return;
      restored = true;
      Object.assign(target, original);
    },
  };
}
