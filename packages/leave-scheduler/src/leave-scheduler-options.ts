import type { DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import type { DisconnectReason, LeavePortV1 } from "@mxrtc/focus";
import type { MatrixPort } from "@mxrtc/matrix";
import type { Clock } from "./clock.js";
import type { DelayIdStorage } from "./delay-id-storage.js";
import type {
  LeaveSchedulerEventMap,
  LeaveSchedulerEventName,
  LeaveSchedulerListener,
  RejoinCause,
} from "./leave-scheduler-events.js";
import type { LeaveSchedulerState } from "./leave-scheduler-state.js";

/**
 * What the leave looks like: a state event (legacy `org.matrix.msc3401.call.member` with `{}`)
 * or a sticky message event (`org.matrix.msc4143.rtc.member` with only the sticky key).
 *
 * @example
 * ```ts
 * const leave: LeaveTarget = {
 *   kind: "state",
 *   roomId: "!room:example.org",
 *   eventType: "org.matrix.msc3401.call.member",
 *   stateKey: "_@alice:example.org_DEVICE_m.call",
 *   content: {},
 * };
 * ```
 */
export type LeaveTarget =
  | {
      readonly kind: "state";
      readonly roomId: string;
      readonly eventType: string;
      readonly stateKey: string;
      readonly content: Record<string, unknown>;
    }
  | {
      readonly kind: "sticky";
      readonly roomId: string;
      readonly eventType: string;
      readonly content: Record<string, unknown>;
      readonly stickyDurationMs: number;
    };

/**
 * What the scheduler hands to a server-side service that watches the media connection and sends
 * or restarts the delayed leave on the client's behalf (MSC4140 delegation, e.g. lk-jwt-service's
 * `delegate_delayed_leave`).
 *
 * @example
 * ```ts
 * const onDelegation = (delegation: LeaveDelegation) =>
 *   fetch(`${serviceUrl}/delegate_delayed_leave`, {
 *     method: "POST",
 *     body: JSON.stringify({ delay_id: delegation.delayId, delay_timeout: delegation.delayMs }),
 *   });
 * ```
 */
export interface LeaveDelegation {
  readonly delayId: string;
  readonly delayMs: number;
  readonly roomId: string;
}

/**
 * Context given to a rejoin policy function.
 *
 * @example
 * ```ts
 * const policy = (context: RejoinContext) => context.cause !== "disconnect";
 * ```
 */
export interface RejoinContext {
  readonly cause: RejoinCause;

  /** Set when `cause` is `"disconnect"`. */
  readonly reason?: DisconnectReason;
}

/**
 * Whether to rejoin after the delayed leave was lost, the membership vanished, or a focus
 * reported a disconnect. `"always"`, `"never"`, or a function.
 *
 * @example
 * ```ts
 * const rejoin: RejoinPolicy = ({ cause, reason }) => cause !== "disconnect" || reason === "server-left";
 * ```
 */
export type RejoinPolicy = "always" | "never" | ((context: RejoinContext) => boolean);

/**
 * The callback that writes our membership. It receives an `AbortSignal` that fires when the
 * scheduler's `membershipTimeoutMs` elapses; it may ignore it.
 *
 * @example
 * ```ts
 * const sendMembership: SendMembership = async ({ signal }) => {
 *   await matrix.sendStateEvent(roomId, type, stateKey, content, { signal });
 * };
 * ```
 */
export type SendMembership = (context: { readonly signal: AbortSignal }) => Promise<void>;

/**
 * Options of {@link createLeaveScheduler}.
 *
 * @example
 * ```ts
 * const options: LeaveSchedulerOptions = { delayedEvents, matrix, leave };
 * ```
 */
export interface LeaveSchedulerOptions {
  /** MSC4140 transport used to schedule, restart, send and cancel the delayed leave. */
  readonly delayedEvents: DelayedEventTransportV1;

  /** Used only for the direct leave when sending the delayed leave fails. */
  readonly matrix: Pick<MatrixPort, "sendStateEvent" | "sendEvent">;

  /** The leave event to schedule. */
  readonly leave: LeaveTarget;

  /** Time source. Default {@link systemClock} (wraps the globals lazily, so fake timers work). */
  readonly clock?: Clock;

  /** Where to persist the delay id across reloads. Default: none (nothing persisted). */
  readonly storage?: DelayIdStorage;

  /** Storage key. Default {@link delayIdStorageKey}(leave). */
  readonly storageKey?: string;
  /**
   * An SFU-side service holds the delegation: use {@link DELEGATED_LEAVE_TIMING} (60 s / 45 s /
   * 5 s) instead of {@link DEFAULT_LEAVE_TIMING} (8 s / 6 s / 2 s). Default `false`.
   */
  readonly delegated?: boolean;

  /** Delay of the scheduled leave. Default 8000 (60000 when `delegated`). Minimum 1000. */
  readonly delayMs?: number;
  /**
   * Gap between the starts of two restarts. Default 6000 (45000 when `delegated`); when only
   * `delayMs` is given, 3/4 of it. Must be shorter than `delayMs`.
   */
  readonly restartIntervalMs?: number;
  /**
   * Maximum local timeout of one restart. Default 2000 (5000 when `delegated`). The actual
   * timeout adapts to the measured round trip (4 × RTT + 250 ms, at least 500 ms) and to the
   * time left before the deadline.
   */
  readonly restartTimeoutMs?: number;

  /** Local timeout of schedule/send/cancel requests and of the direct leave. Default 5000. */
  readonly requestTimeoutMs?: number;

  /** Local timeout of one `sendMembership` call. Default 5000. */
  readonly membershipTimeoutMs?: number;

  /**
   * Retries of one operation step after network errors or 5xx. Default 8; reset on every operation
   * (join, update, rejoin).
   */
  readonly maximumTransientRetries?: number;

  /** Retries of one operation step after rate limits. Default 10; reset like the above. */
  readonly maximumRateLimitRetries?: number;

  /** Attempts at lowering the delay on `M_MAX_DELAY_EXCEEDED` before giving up. Default 5. */
  readonly maximumDelayLowerings?: number;

  /** Source of jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;

  /**
   * Called with every new delay id (after each arm). Default: none. Exceptions become `error`
   * events.
   */
  readonly onDelegation?: (delegation: LeaveDelegation) => void;
  /**
   * What a lost delayed leave, a vanished membership or a focus disconnect leads to. Default
   * {@link defaultRejoinPolicy}: rejoin after a lost delayed leave or a vanished membership; leave
   * on a focus disconnect.
   */
  readonly rejoin?: RejoinPolicy;
}

/**
 * The leave scheduler. Create it with {@link createLeaveScheduler}.
 *
 * @example
 * ```ts
 * await scheduler.join(sendMembership);
 * scheduler.on("probably-left", ({ probablyLeft }) => setReconnecting(probablyLeft));
 * await scheduler.leave();
 * ```
 */
export interface LeaveScheduler {
  /** The current state (a stored field). */
  readonly state: LeaveSchedulerState;

  /** The delay id of the current delayed leave, if one is armed. */
  readonly delayId: string | undefined;

  /** The current delay (lower than configured after `M_MAX_DELAY_EXCEEDED`). */
  readonly delayMs: number;

  /** The earliest time the server may fire the delayed leave, or undefined. */
  readonly deadlineTs: number | undefined;

  /** Hand this to a focus plugin: a terminal media loss sends the leave now (or rejoins). */
  readonly leavePort: LeavePortV1;
  /**
   * Cancel a stored delayed leave of a previous instance, arm ours, then call `sendMembership`,
   * then heartbeat. Resolves once the membership is sent. A second call while joined does nothing.
   */
  join(sendMembership: SendMembership): Promise<void>;
  /**
   * Re-send the membership (intent change, refresh) through the one ordered queue, after proving
   * the delayed leave alive (a restart, or a fresh arm if it is gone). `sendMembership` also
   * replaces the callback used for later rejoins.
   */
  update(sendMembership: SendMembership): Promise<void>;
  /**
   * The session saw our membership vanish from the room. Re-arm, then re-send (if the rejoin
   * policy allows). Ignored while a join/update/rejoin is queued or running, and unless joined.
   */
  membershipMissing(): void;

  /** Send the delayed leave now; on failure write the leave directly; cancel what remains. */
  leave(): Promise<void>;
  /**
   * Leave (unless `{ leave: false }`), stop every timer, and ignore everything afterwards.
   * `{ leave: false }` stops without any request (the delayed leave then fires on its own, and a
   * stored delay id stays for the next instance to cancel).
   */
  close(options?: { readonly leave?: boolean }): Promise<void>;

  /** Subscribe to an event; returns the unsubscribe function. */
  on<Name extends LeaveSchedulerEventName>(
    name: Name,
    listener: LeaveSchedulerListener<Name>,
  ): () => void;
}

export type { LeaveSchedulerEventMap };
