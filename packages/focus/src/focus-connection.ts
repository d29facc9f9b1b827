import type { FocusMemberV1 } from "./focus-plugin.js";

/**
 * The events a {@link FocusConnectionV1} emits, by name, with their payloads.
 *
 * @remarks `participantId` is the focus's own id for the participant (a LiveKit identity, a
 * mediasoup peer id); `member` is the MatrixRTC membership it belongs to. A focus emits
 * `participant-joined` when it can carry media for that member and `participant-left` when it
 * no longer can. Nothing is emitted after `close()`.
 *
 * @example
 * ```ts
 * import type { FocusConnectionEventsV1 } from "@mxrtc/focus";
 *
 * function describeJoin(payload: FocusConnectionEventsV1["participant-joined"]): string {
 *   return `${payload.member.userId} is ${payload.participantId}`;
 * }
 * ```
 */
export interface FocusConnectionEventsV1 {
  /** A member's media participant appeared. */
  "participant-joined": { readonly member: FocusMemberV1; readonly participantId: string };
  /** A member's media participant went away. */
  "participant-left": { readonly member: FocusMemberV1; readonly participantId: string };
  /** A remote track became available. */
  "track-added": {
    readonly participantId: string;
    readonly kind: "audio" | "video";
    readonly trackId: string;
  };
  /** A remote track went away. */
  "track-removed": { readonly participantId: string; readonly trackId: string };
}

/**
 * What the host hands to an SFU-side service so it can send this member's delayed leave itself.
 *
 * @example
 * ```ts
 * const delegation: FocusDelayedLeaveDelegationV1 = { delayId: "syd_abc", delayMs: 8000 };
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface FocusDelayedLeaveDelegationV1 {
  /** The MSC4140 delay id of the scheduled leave. */
  readonly delayId: string;
  /** The delay the leave was scheduled with, in milliseconds. */
  readonly delayMs: number;
}

/**
 * One live connection of a focus plugin to one transport, as returned by
 * {@link FocusPluginV1.connect}.
 *
 * @remarks Lifecycle: `connect()` resolves with the connection → `ready` resolves when media can
 * flow → the host calls `updateMembers()` whenever the remote memberships change → on terminal
 * loss the focus calls `leavePort.reportDisconnect()` exactly once → the host calls `close()`.
 *
 * Rules:
 * - `ready` always settles: it resolves, or rejects with a `FocusError`. It never hangs forever.
 * - `close()` is idempotent (every call resolves, concurrent calls included). Once it resolved, no
 *   timer, interval, to-device listener or abort listener of this connection is alive, no event is
 *   emitted, and the leave port is never called. Closing on purpose is not a disconnect: `close()`
 *   itself never calls the leave port.
 * - `updateMembers()` and `on()` after `close()` are harmless no-ops.
 * - Listener functions passed to `on()` are called synchronously in subscription order; the
 *   returned function unsubscribes and may be called more than once.
 *
 * This interface is a versioned specification: it never changes after release.
 *
 * @example
 * ```ts
 * import type { FocusConnectionV1 } from "@mxrtc/focus";
 *
 * async function logParticipants(connection: FocusConnectionV1): Promise<() => void> {
 *   const stop = connection.on("participant-joined", ({ member, participantId }) => {
 *     console.log(`${member.userId} joined the media as ${participantId}`);
 *   });
 *   await connection.ready;
 *   return stop;
 * }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface FocusConnectionV1 {
  /** Resolves when media can flow; rejects with a `FocusError`. */
  readonly ready: Promise<void>;
  /** The remote memberships changed; the focus subscribes and unsubscribes accordingly. */
  updateMembers(members: readonly FocusMemberV1[]): void;
  /**
   * Optional: hands the scheduled delayed leave to the focus's SFU-side service, which sends it
   * the moment the SFU sees this participant drop (MSC4140 delegation). Rejects with a
   * `FocusError` when the service refuses; the host then keeps heartbeating itself.
   */
  delegateDelayedLeave?(delegation: FocusDelayedLeaveDelegationV1): Promise<void>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof FocusConnectionEventsV1>(
    event: E,
    listener: (payload: FocusConnectionEventsV1[E]) => void,
  ): () => void;
  /** Leaves the focus on purpose. Idempotent; afterwards no timer, listener or leave-port call. */
  close(): Promise<void>;
}
