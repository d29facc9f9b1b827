/**
 * A local track the plugin can publish: a livekit-client `LocalTrack` or a `MediaStreamTrack`.
 *
 * @example
 * ```ts
 * import { createLocalTracks } from "livekit-client";
 * const tracks: readonly LocalTrackLike[] = await createLocalTracks({ audio: true, video: true });
 * ```
 */
export interface LocalTrackLike {
  /** `"audio"` or `"video"`. */
  readonly kind: string;
  /** Stops capturing. */
  stop(): void;
}

/**
 * A remote track publication, as far as the plugin reads it (livekit-client `RemoteTrackPublication`).
 *
 * @example
 * ```ts
 * const publication: RemoteTrackPublicationLike = { trackSid: "TR_1", kind: "video", isSubscribed: true };
 * ```
 */
export interface RemoteTrackPublicationLike {
  /** The SFU's track id. */
  readonly trackSid: string;
  /** `"audio"`, `"video"` or another kind the plugin ignores. */
  readonly kind: string;
  /** Whether this client receives it. */
  readonly isSubscribed?: boolean;
}

/**
 * A remote participant, as far as the plugin reads it (livekit-client `RemoteParticipant`).
 *
 * @example
 * ```ts
 * const participant: RemoteParticipantLike = { identity: "@bob:example.org:BOB" };
 * ```
 */
export interface RemoteParticipantLike {
  /** The LiveKit identity the token service put in the participant's JWT. */
  readonly identity: string;
  /** Its published tracks by track id. */
  readonly trackPublications?: ReadonlyMap<string, RemoteTrackPublicationLike>;
}

/**
 * The room events the plugin listens to (livekit-client `RoomEvent` values).
 *
 * @example
 * ```ts
 * const event: LivekitRoomEventName = "disconnected";
 * ```
 */
export type LivekitRoomEventName =
  | "participantConnected"
  | "participantDisconnected"
  | "trackSubscribed"
  | "trackUnsubscribed"
  | "reconnecting"
  | "signalReconnecting"
  | "reconnected"
  | "disconnected";

/**
 * The part of a livekit-client `Room` the plugin uses; `new Room()` satisfies it.
 *
 * @remarks Injected through `createRoom` so the plugin runs in Node tests with a fake room;
 * listener arguments are those of livekit-client's `RoomEventCallbacks`.
 *
 * @example
 * ```ts
 * import { Room } from "livekit-client";
 * const createRoom = (): RoomLike => new Room();
 * ```
 *
 * @see https://docs.livekit.io/reference/client-sdk-js/classes/Room.html
 */
export interface RoomLike {
  /** Connects to the SFU with a JWT. */
  connect(url: string, token: string): Promise<void>;
  /** Leaves the room; `stopTracks` false keeps local tracks capturing. */
  disconnect(stopTracks?: boolean): Promise<void>;
  /** Remote participants by identity. */
  readonly remoteParticipants: ReadonlyMap<string, RemoteParticipantLike>;
  /** This client's participant. */
  readonly localParticipant: {
    /** Publishes a local track. */
    publishTrack(track: LocalTrackLike): Promise<unknown>;
  };
  /** Adds a listener. */
  on(event: LivekitRoomEventName, listener: (...args: never[]) => void): unknown;
  /** Removes a listener. */
  off(event: LivekitRoomEventName, listener: (...args: never[]) => void): unknown;
}

/**
 * Creates the room for one connection. Default: `new Room(roomOptions)` from livekit-client,
 * imported on first use.
 *
 * @example
 * ```ts
 * import { Room } from "livekit-client";
 * const createRoom: CreateRoom = (options) => new Room({ ...options, dynacast: true });
 * ```
 */
export type CreateRoom = (
  roomOptions: Readonly<Record<string, unknown>>,
) => RoomLike | Promise<RoomLike>;

/**
 * LiveKit's `DisconnectReason` numbers (livekit protocol `livekit_models.proto`), so the plugin
 * can read them without loading livekit-client.
 *
 * @example
 * ```ts
 * LIVEKIT_DISCONNECT_REASON.CLIENT_INITIATED; // 1
 * ```
 */
export const LIVEKIT_DISCONNECT_REASON = Object.freeze({
  UNKNOWN_REASON: 0,
  CLIENT_INITIATED: 1,
  DUPLICATE_IDENTITY: 2,
  SERVER_SHUTDOWN: 3,
  PARTICIPANT_REMOVED: 4,
  ROOM_DELETED: 5,
  STATE_MISMATCH: 6,
  JOIN_FAILURE: 7,
  MIGRATION: 8,
  SIGNAL_CLOSE: 9,
  ROOM_CLOSED: 10,
  USER_UNAVAILABLE: 11,
  USER_REJECTED: 12,
  SIP_TRUNK_FAILURE: 13,
  CONNECTION_TIMEOUT: 14,
  MEDIA_FAILURE: 15,
} as const);

/** The default {@link CreateRoom}: livekit-client's `Room`, loaded lazily (internal). */
export const createLivekitClientRoom: CreateRoom = async (roomOptions) => {
  const { Room } = await import("livekit-client");
  const room: RoomLike = new Room(roomOptions);
  return room;
};
