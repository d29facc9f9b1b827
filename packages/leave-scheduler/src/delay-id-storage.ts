import type { LeaveTarget } from "./leave-scheduler-options.js";

/**
 * Where the scheduler remembers the delay id of its current delayed leave.
 *
 * @remarks A page that reloads (or a process that restarts) starts a new scheduler while the old
 * instance's delayed leave is still scheduled on the homeserver. If nobody cancels it, it fires a
 * few seconds into the new session and knocks the fresh membership out. With a storage, `join()`
 * reads the previous id, cancels it (404 is fine) and only then arms a new one. Keys come from
 * {@link delayIdStorageKey}; `set(key, undefined)` removes the entry. Both methods may be sync
 * or async.
 *
 * @example
 * ```ts
 * const storage: DelayIdStorage = {
 *   get: (key) => sessionStorage.getItem(key) ?? undefined,
 *   set: (key, value) => {
 *     if (value === undefined) sessionStorage.removeItem(key);
 *     else sessionStorage.setItem(key, value);
 *   },
 * };
 * ```
 */
export interface DelayIdStorage {
  /** The stored delay id for `key`, or undefined. */
  get(key: string): Promise<string | undefined> | string | undefined;

  /** Store `value` under `key`; `undefined` deletes the entry. */
  set(key: string, value: string | undefined): Promise<void> | void;
}

/**
 * A {@link DelayIdStorage} in a `Map`: survives scheduler instances within one process, not reloads.
 *
 * @example
 * ```ts
 * import { createMemoryDelayIdStorage } from "@mxrtc/leave-scheduler";
 * const storage = createMemoryDelayIdStorage();
 * storage.set("k", "delay-1");
 * storage.get("k"); // "delay-1"
 * ```
 */
export function createMemoryDelayIdStorage(): DelayIdStorage & {
  /** A snapshot of every entry, for tests and diagnostics. */
  entries(): ReadonlyMap<string, string>;
} {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => {
      if (value === undefined) values.delete(key);
      else values.set(key, value);
    },
    entries: () => new Map(values),
  };
}

/** The subset of the Web Storage API the `localStorage` storage needs. */
export interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Options for {@link createLocalStorageDelayIdStorage}.
 *
 * @example
 * ```ts
 * const options: LocalStorageDelayIdStorageOptions = { prefix: "myapp:delay-id:" };
 * ```
 */
export interface LocalStorageDelayIdStorageOptions {
  /** Prepended to every key. Default `"mxrtc:leave-scheduler:"`. */
  readonly prefix?: string;

  /** The storage to use. Default `globalThis.localStorage`, looked up on each call. */
  readonly storage?: WebStorageLike;
}

/**
 * A {@link DelayIdStorage} backed by `localStorage`, so a reloaded tab cancels the delayed leave
 * its previous incarnation left behind.
 *
 * @remarks Where `localStorage` is absent (Node, workers) or throws (Safari private mode, quota,
 * disabled storage), reads return undefined and writes do nothing: the scheduler then behaves as
 * without storage instead of failing the join.
 *
 * @example
 * ```ts
 * import { createLeaveScheduler, createLocalStorageDelayIdStorage } from "@mxrtc/leave-scheduler";
 * const storage = createLocalStorageDelayIdStorage();
 * // createLeaveScheduler({ ..., storage });
 * ```
 */
export function createLocalStorageDelayIdStorage(
  options: LocalStorageDelayIdStorageOptions = {},
): DelayIdStorage {
  const prefix = options.prefix ?? "mxrtc:leave-scheduler:";
  const resolve = (): WebStorageLike | undefined => {
    if (options.storage) return options.storage;
    try {
      const candidate = (globalThis as { localStorage?: WebStorageLike }).localStorage;
      return candidate ?? undefined;
    } catch {
      return undefined;
    }
  };
  return {
    get: (key) => {
      try {
        return resolve()?.getItem(prefix + key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    set: (key, value) => {
      try {
        const storage = resolve();
        if (!storage) return;
        if (value === undefined) storage.removeItem(prefix + key);
        else storage.setItem(prefix + key, value);
      } catch {
        // Storage unavailable or full: the scheduler works without persistence.
      }
    },
  };
}

/**
 * The storage key for a leave target: room, event type and state key (or sticky key).
 *
 * @example
 * ```ts
 * delayIdStorageKey({ kind: "state", roomId: "!r:hs", eventType: "t", stateKey: "k", content: {} }); // "!r:hs|t|k"
 * ```
 */
export function delayIdStorageKey(leave: LeaveTarget): string {
  if (leave.kind === "state") return `${leave.roomId}|${leave.eventType}|${leave.stateKey}`;
  const sticky = leave.content.sticky_key ?? leave.content.msc4354_sticky_key;
  return `${leave.roomId}|${leave.eventType}|${typeof sticky === "string" ? sticky : ""}`;
}
