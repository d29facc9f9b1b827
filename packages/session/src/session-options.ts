import type { DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import type { FocusConnectionV1, FocusPluginV1 } from "@mxrtc/focus";
import type { Clock, LeaveScheduler, LeaveSchedulerOptions } from "@mxrtc/leave-scheduler";
import type { MatrixPort, SyncBatch } from "@mxrtc/matrix";
import type { RoomRtcState, RtcSessionRecord } from "@mxrtc/state";
import type { RtcTransport } from "@mxrtc/types";
import type { WriteDialect } from "./own-membership.js";
import type { JoinState, RtcSessionEventName, RtcSessionListener } from "./session-events.js";
import type { SessionMembership } from "./session-membership.js";

/**
 * Scheduler settings the session passes through to `createLeaveScheduler`.
 *
 * @example
 * ```ts
 * const scheduler: SessionSchedulerOptions = { delayMs: 10_000, rejoin: "never" };
 * ```
 */
export type SessionSchedulerOptions = Partial<
  Pick<
    LeaveSchedulerOptions,
    | "storage"
    | "storageKey"
    | "delegated"
    | "delayMs"
    | "restartIntervalMs"
    | "restartTimeoutMs"
    | "requestTimeoutMs"
    | "membershipTimeoutMs"
    | "maximumTransientRetries"
    | "maximumRateLimitRetries"
    | "random"
    | "rejoin"
  >
>;

/**
 * Options of {@link createRtcSession}.
 *
 * @example
 * ```ts
 * const options: RtcSessionOptions = { matrix, roomId, plugins: [livekitPlugin] };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcSessionOptions {
  /** The Matrix port (`createMatrixClient` or `fromMatrixJsSdk`). */
  readonly matrix: MatrixPort;
  /** The room of the call. */
  readonly roomId: string;
  /** The slot, `application#id`. Default `"m.call#ROOM"`. */
  readonly slotId?: string;
  /** Focus plugins, one per transport type. Default none (add with `registerPlugin`). */
  readonly plugins?: readonly FocusPluginV1[];
  /**
   * The membership dialect we write: `"legacy"` state events (what Element Call reads) or
   * `"sticky"` MSC4354 events (needs the server to advertise `org.matrix.msc4354`). Default
   * `"legacy"`.
   */
  readonly dialect?: WriteDialect;
  /**
   * Our transports (`foci_preferred` / `transports.published`). Default: the homeserver's
   * `/rtc/transports`, else `.well-known` `org.matrix.msc4143.rtc_foci`.
   */
  readonly transports?: readonly RtcTransport[];
  /** Legacy `focus_selection`. Default `"oldest_membership"`. */
  readonly focusSelection?: "oldest_membership" | "multi_sfu";
  /** `m.call.intent` (`"audio"`, `"video"`). Default none. */
  readonly callIntent?: string;
  /** Our user id. Default: `whoami`. */
  readonly userId?: string;
  /** Our device id. Default: `whoami`. */
  readonly deviceId?: string;
  /** Our member id (also the sticky key). Default `${userId}:${deviceId}`. */
  readonly memberId?: string;
  /**
   * `"sync"`: the session runs its own `/sync` loop. `"external"`: the app already syncs and
   * hands each batch to `session.applySyncBatch`. Default `"sync"`.
   */
  readonly feed?: "sync" | "external";
  /** Filter of the owned sync loop. Default `MATRIXRTC_SYNC_FILTER`. */
  readonly syncFilter?: string | Record<string, unknown>;
  /** Time source. Default the leave scheduler's `systemClock`. */
  readonly clock?: Clock;
  /** MSC4140 transport. Default `createDelayedEventTransport({ matrix })`. */
  readonly delayedEvents?: DelayedEventTransportV1;
  /**
   * Passed to the leave scheduler. Default: its defaults (8 s delay, 6 s restarts); `storage` defaults to `localStorage` where it exists (browsers), so a
   * reloaded page cancels its previous instance's delayed leave; elsewhere delay ids are not kept.
   */
  readonly scheduler?: SessionSchedulerOptions;
  /** Legacy `expires` step. Default 14 400 000 (4 h). */
  readonly expiresMs?: number;
  /**
   * Re-send our membership this long before it lapses (legacy `expires`, sticky 1 h
   * stickiness). Default 300 000 (5 min).
   */
  readonly refreshLeadMs?: number;
}

/**
 * Options of {@link RtcSession.join} and {@link RtcSession.update}.
 *
 * @example
 * ```ts
 * await session.update({ callIntent: "video" });
 * ```
 */
export interface JoinOptions {
  readonly callIntent?: string;
  readonly transports?: readonly RtcTransport[];
}

/**
 * A MatrixRTC call session for one slot of one room. Create it with {@link createRtcSession}.
 *
 * @example
 * ```ts
 * session.on("memberships-changed", ({ memberships }) => render(memberships));
 * await session.join();
 * // …
 * await session.leave();
 * await session.close();
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcSession {
  readonly roomId: string;
  readonly slotId: string;
  /** Active members, oldest first, each with its transport and focus status. */
  readonly memberships: readonly SessionMembership[];
  /** The transport we connect to (or would): see the README. */
  readonly transport: RtcTransport | undefined;
  /** Our own participation. */
  readonly joinState: JoinState;
  /** Ended sessions of the slot, oldest first. */
  readonly pastSessions: readonly RtcSessionRecord[];
  /** The reducer state (read it with the `@mxrtc/state` selectors). */
  readonly state: RoomRtcState;
  /** The open focus connection, if any. */
  readonly focusConnection: FocusConnectionV1 | undefined;
  /** The leave scheduler of the current join, if any. */
  readonly scheduler: LeaveScheduler | undefined;
  /** External feed: hand over one sync batch (room events and to-device events). */
  applySyncBatch(batch: SyncBatch): void;
  /** Join the slot (arm the delayed leave, write our membership, connect the focus). */
  join(options?: JoinOptions): Promise<void>;
  /** Change the intent or transports; goes through the scheduler's ordered queue. */
  update(options: JoinOptions): Promise<void>;
  /** Leave the slot: close the focus, send the delayed leave now. */
  leave(): Promise<void>;
  /** Add a plugin; returns a function that removes it again. */
  registerPlugin(plugin: FocusPluginV1): () => void;
  /** Subscribe; returns the unsubscribe function. */
  on<Name extends RtcSessionEventName>(name: Name, listener: RtcSessionListener<Name>): () => void;
  /** Leave (if joined), stop the sync loop and every timer. */
  close(): Promise<void>;
}
