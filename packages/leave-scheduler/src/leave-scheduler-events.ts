import type { DisconnectReason } from "@mxrtc/focus";
import type { LeaveSchedulerError } from "./leave-scheduler-error.js";
import type { LeaveSchedulerState } from "./leave-scheduler-state.js";

/**
 * Why the scheduler rejoins (or would): its delayed leave is gone (404/409 on restart: the
 * server fired or finalised it), the session saw our membership vanish, or a focus reported a
 * disconnect.
 *
 * @example
 * ```ts
 * const cause: RejoinCause = "delayed-leave-lost";
 * ```
 */
export type RejoinCause = "delayed-leave-lost" | "membership-missing" | "disconnect";

/**
 * How the leave reached the homeserver.
 *
 * - `"delayed-leave-sent"`: the scheduled leave was sent at once (`…/send`).
 * - `"direct"`: `send` failed; the leave content was written directly.
 * - `"cancelled"`: no membership had been sent yet; the armed delayed leave was cancelled.
 * - `"delayed-leave-pending"`: both failed; the scheduled leave fires on its own within the delay.
 * - `"none"`: nothing to remove (the server already fired the leave, or nothing was sent).
 *
 * @example
 * ```ts
 * scheduler.on("left", ({ method }) => console.log("left via", method));
 * ```
 */
export type LeaveMethod =
  | "delayed-leave-sent"
  | "direct"
  | "cancelled"
  | "delayed-leave-pending"
  | "none";

/**
 * Why the scheduler left: `leave()`, `close()`, a focus disconnect without rejoin, the delayed
 * leave fired or the membership vanished without rejoin, or a join/rejoin that failed.
 *
 * @example
 * ```ts
 * scheduler.on("left", ({ cause }) => { if (cause === "failure") showReconnectButton(); });
 * ```
 */
export type LeftCause =
  | "leave"
  | "close"
  | "disconnect"
  | "delayed-leave-lost"
  | "membership-missing"
  | "failure";

/**
 * Payloads of the scheduler's events, by name.
 *
 * @example
 * ```ts
 * const off = scheduler.on("delayed-leave-restarted", ({ deadlineTs }) => console.log(deadlineTs));
 * off();
 * ```
 */
export interface LeaveSchedulerEventMap {
  /** The state field changed. */
  "state-changed": { readonly from: LeaveSchedulerState; readonly to: LeaveSchedulerState };

  /** A new delayed leave is armed. `deadlineTs` is the earliest time the server may fire it. */
  "delayed-leave-scheduled": {
    readonly delayId: string;
    readonly delayMs: number;
    readonly deadlineTs: number;
  };

  /** A heartbeat (or a proof before a re-send) pushed the delayed leave back. */
  "delayed-leave-restarted": {
    readonly delayId: string;
    readonly deadlineTs: number;
    readonly roundTripMs: number;
  };
  /**
   * `probablyLeft: true`: the deadline passed (or will, before a rate limit lets us retry)
   * without a successful restart: the server has probably removed our membership.
   * `probablyLeft: false`: a later restart succeeded after all.
   */
  "probably-left": { readonly probablyLeft: boolean; readonly deadlineTs: number };

  /** About to re-arm and re-send the membership. */
  rejoining: { readonly cause: RejoinCause; readonly reason?: DisconnectReason };

  /** Something failed. `fatal: false` means the scheduler carries on. */
  error: { readonly error: LeaveSchedulerError; readonly fatal: boolean };

  /** The scheduler is out of the call. */
  left: { readonly method: LeaveMethod; readonly cause: LeftCause };
}

/** The names of {@link LeaveSchedulerEventMap}. */
export type LeaveSchedulerEventName = keyof LeaveSchedulerEventMap;

/** A listener for one event. */
export type LeaveSchedulerListener<Name extends LeaveSchedulerEventName> = (
  payload: LeaveSchedulerEventMap[Name],
) => void;

/**
 * A minimal typed emitter (internal). Listener exceptions are swallowed so they cannot break the
 * state machine.
 */
export function createEmitter() {
  const listeners = new Map<LeaveSchedulerEventName, Set<(payload: never) => void>>();
  return {
    on<Name extends LeaveSchedulerEventName>(
      name: Name,
      listener: LeaveSchedulerListener<Name>,
    ): () => void {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
    emit<Name extends LeaveSchedulerEventName>(
      name: Name,
      payload: LeaveSchedulerEventMap[Name],
    ): void {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as LeaveSchedulerListener<Name>)(payload);
        } catch {
          // A throwing listener must not break the scheduler.
        }
      }
    },
    clear(): void {
      listeners.clear();
    },
  };
}
