import type {
  FocusConnectionV1,
  FocusDelayedLeaveDelegationV1,
  FocusMemberV1,
  LeavePortV1,
} from "@mxrtc/focus";
import type { LivekitDelegationResult } from "./delegate-delayed-leave.js";
import { createListenerRegistry } from "./listener-registry.js";
import { LivekitFocusError } from "./livekit-focus-error.js";
import {
  livekitDisconnectReasonName,
  mapLivekitDisconnectReason,
} from "./map-disconnect-reason.js";
import { memberIdentities } from "./member-identities.js";
import { createParticipantTracker } from "./participant-tracker.js";
import type {
  LivekitRoomEventName,
  LocalTrackLike,
  RemoteParticipantLike,
  RemoteTrackPublicationLike,
  RoomLike,
} from "./room-like.js";

/**
 * Where a {@link LivekitFocusConnection} is in its life: `"connected"` (also while LiveKit
 * reconnects), `"lost"` (terminal loss, reported once), `"disconnected"` (someone called
 * `room.disconnect()` directly: not reported) or `"closed"` (final).
 *
 * @example
 * ```ts
 * const state: LivekitFocusConnectionState = "connected";
 * ```
 */
export type LivekitFocusConnectionState = "connected" | "lost" | "disconnected" | "closed";

/**
 * One LiveKit participant and the MatrixRTC member it belongs to (`undefined` when its identity
 * matches no member the host gave).
 *
 * @example
 * ```ts
 * const participant: LivekitParticipant = { participantId: "@bob:example.org:BOB", member: undefined };
 * ```
 */
export interface LivekitParticipant {
  /** The LiveKit identity. */
  readonly participantId: string;
  /** The member, when known. */
  readonly member: FocusMemberV1 | undefined;
}

/**
 * A connection of the LiveKit focus: a {@link FocusConnectionV1} plus the room, the participants
 * with their members, and a delegation that says whether the service took it.
 *
 * @example
 * ```ts
 * import type { Room } from "livekit-client";
 * import type { LivekitFocusConnection } from "@mxrtc/focus-livekit";
 *
 * function roomOf(connection: LivekitFocusConnection): Room {
 *   return connection.room as Room; // the default createRoom makes a livekit-client Room
 * }
 * ```
 */
export interface LivekitFocusConnection extends FocusConnectionV1 {
  /** The LiveKit room (a livekit-client `Room` unless `createRoom` made another). */
  readonly room: RoomLike;
  /** Every remote LiveKit participant, with its member when known. */
  readonly participants: readonly LivekitParticipant[];
  /** Where the connection is in its life. */
  readonly state: LivekitFocusConnectionState;
  /** The token endpoint that answered. */
  readonly tokenEndpoint: "get_token" | "sfu_get";
  /**
   * The host's entry point (`FocusConnectionV1`): {@link LivekitFocusConnection.delegate} resolving
   * with nothing, as the specification says `Promise<void>`. A refusal that leaves the host
   * heartbeating (short delay, no such endpoint) resolves; read the outcome in `delegation`.
   */
  delegateDelayedLeave(delegation: FocusDelayedLeaveDelegationV1): Promise<void>;
  /** Hands the delayed leave to the token service and says whether it took it. */
  delegate(delegation: FocusDelayedLeaveDelegationV1): Promise<LivekitDelegationResult>;
  /** The outcome of the last delegation that got an answer; `undefined` before one did. */
  readonly delegation: LivekitDelegationResult | undefined;
}

/** What {@link openLivekitConnection} needs (internal). */
export interface OpenLivekitConnectionInput {
  readonly room: RoomLike;
  readonly identities: ReadonlyMap<string, FocusMemberV1>;
  readonly localMemberId: string;
  readonly leavePort: LeavePortV1;
  readonly tokenEndpoint: "get_token" | "sfu_get";
  /** Local tracks to publish: already got, or how to get them. */
  readonly publish: (signal: AbortSignal) => Promise<{
    readonly tracks: readonly LocalTrackLike[];
    readonly owned: boolean;
  }>;
  readonly delegate: (
    delegation: FocusDelayedLeaveDelegationV1,
    signal: AbortSignal,
  ) => Promise<LivekitDelegationResult>;
}

/** Wires a connected room into a {@link LivekitFocusConnection} (internal). */
export function openLivekitConnection(input: OpenLivekitConnectionInput): LivekitFocusConnection {
  const { room } = input;
  const listeners = createListenerRegistry();
  const lifetime = new AbortController();
  let state: LivekitFocusConnectionState = "connected";
  let generation = 0;
  let reconnecting = false;
  let closing: Promise<void> | undefined;
  let ownedTracks: readonly LocalTrackLike[] = [];
  const tracker = createParticipantTracker(listeners, input.identities);
  const stopOwnedTracks = () => {
    for (const track of ownedTracks) {
      try {
        track.stop();
      } catch {
        // a track that cannot stop is already gone
      }
    }
    ownedTracks = [];
  };

  const handlers: Partial<Record<LivekitRoomEventName, (...args: never[]) => void>> = {
    participantConnected: (participant: RemoteParticipantLike) =>
      tracker.addParticipant(participant),
    participantDisconnected: (participant: RemoteParticipantLike) =>
      tracker.removeParticipant(participant.identity),
    trackSubscribed: (
      _track: unknown,
      publication: RemoteTrackPublicationLike,
      participant: RemoteParticipantLike,
    ) => {
      if (!tracker.has(participant.identity)) tracker.addParticipant(participant);
      tracker.addTrack(participant.identity, publication);
    },
    trackUnsubscribed: (
      _track: unknown,
      publication: RemoteTrackPublicationLike,
      participant: RemoteParticipantLike,
    ) => tracker.removeTrack(participant.identity, publication.trackSid),
    reconnecting: () => {
      reconnecting = true;
    },
    signalReconnecting: () => {
      reconnecting = true;
    },
    reconnected: () => {
      reconnecting = false;
    },
    disconnected: (reason: number | undefined) => {
      if (state !== "connected") return;
      const mapped = mapLivekitDisconnectReason(reason, reconnecting);
      state = mapped === undefined ? "disconnected" : "lost";
      detach();
      lifetime.abort();
      clearTimeout(initialScan);
      tracker.removeAll();
      if (mapped === undefined) return;
      const message = `the LiveKit room disconnected (${livekitDisconnectReasonName(reason)}${reconnecting ? ", while reconnecting" : ""})`;
      input.leavePort.reportDisconnect({
        reason: mapped,
        message,
        cause: new LivekitFocusError(message, { code: "connection-lost" }),
      });
    },
  };
  const detach = () => {
    for (const [event, handler] of Object.entries(handlers)) {
      room.off(event as LivekitRoomEventName, handler);
    }
  };
  for (const [event, handler] of Object.entries(handlers)) {
    room.on(event as LivekitRoomEventName, handler);
  }
  // Participants already in the room are announced in a later task, so listeners added right
  // after `await plugin.connect()` see them.
  const initialScan = setTimeout(() => {
    if (state !== "connected") return;
    for (const participant of room.remoteParticipants.values()) tracker.addParticipant(participant);
  }, 0);

  const ready = (async () => {
    let published: Awaited<ReturnType<OpenLivekitConnectionInput["publish"]>>;
    try {
      published = await input.publish(lifetime.signal);
    } catch (error) {
      throw new LivekitFocusError("getting the local tracks failed", {
        code: lifetime.signal.aborted ? "closed" : "publish-failed",
        cause: error,
      });
    }
    if (published.owned && Array.isArray(published.tracks)) ownedTracks = published.tracks;
    if (lifetime.signal.aborted) {
      stopOwnedTracks();
      throw new LivekitFocusError("the connection ended before publishing", { code: "closed" });
    }
    try {
      for (const track of published.tracks) await room.localParticipant.publishTrack(track);
    } catch (error) {
      throw new LivekitFocusError("publishing a local track failed", {
        code: lifetime.signal.aborted ? "closed" : "publish-failed",
        cause: error,
      });
    }
  })();
  ready.catch(() => undefined); // the host may not listen; an unheard rejection must not crash it

  let lastDelegation: LivekitDelegationResult | undefined;
  const delegate = async (
    delegation: FocusDelayedLeaveDelegationV1,
  ): Promise<LivekitDelegationResult> => {
    if (state === "closed") {
      throw new LivekitFocusError("the connection is closed", { code: "closed" });
    }
    if (input.tokenEndpoint === "sfu_get") {
      lastDelegation = {
        delegated: false,
        reason: "legacy-endpoint",
        message: "the token came from /sfu/get; its identity is not the one delegation watches",
      };
      return lastDelegation;
    }
    const result = await input.delegate(delegation, lifetime.signal);
    lastDelegation = result;
    return result;
  };

  return {
    room,
    ready,
    tokenEndpoint: input.tokenEndpoint,
    get state() {
      return state;
    },
    get participants() {
      return tracker.participants();
    },
    updateMembers(members) {
      if (state !== "connected") return;
      generation += 1;
      const mine = generation;
      memberIdentities(members, input.localMemberId).then(
        (next) => {
          if (state !== "connected" || mine !== generation) return;
          tracker.setIdentities(next);
        },
        () => undefined, // Web Crypto missing: keep the previous mapping
      );
    },
    get delegation() {
      return lastDelegation;
    },
    async delegateDelayedLeave(delegation) {
      await delegate(delegation);
    },
    delegate,
    on(event, listener) {
      if (state === "closed") return () => {};
      return listeners.add(event, listener);
    },
    close() {
      closing ??= (async () => {
        state = "closed";
        detach();
        lifetime.abort();
        clearTimeout(initialScan);
        listeners.clear();
        tracker.clear();
        await room.disconnect(false).catch(() => undefined);
        stopOwnedTracks();
      })();
      return closing;
    },
  };
}
