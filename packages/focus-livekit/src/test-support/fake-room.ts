import type {
  LivekitRoomEventName,
  LocalTrackLike,
  RemoteParticipantLike,
  RemoteTrackPublicationLike,
  RoomLike,
} from "../room-like.js";

type Listener = (...args: never[]) => void;

/** A scriptable stand-in for a livekit-client Room (test support). */
export interface FakeRoom extends RoomLike {
  readonly connectCalls: { url: string; token: string }[];
  readonly published: LocalTrackLike[];
  readonly disconnectCalls: (boolean | undefined)[];
  /** How many listeners are attached now. */
  readonly listenerCount: number;
  /** Emits a room event with livekit-client's arguments. */
  emit(event: LivekitRoomEventName, ...args: unknown[]): void;
  /** Adds a remote participant and emits participantConnected. */
  join(
    identity: string,
    publications?: readonly RemoteTrackPublicationLike[],
  ): RemoteParticipantLike;
  /** Removes a remote participant and emits participantDisconnected. */
  leave(identity: string): void;
  /** Emits trackSubscribed for a new publication of `identity`. */
  subscribe(identity: string, publication: RemoteTrackPublicationLike): void;
}

/** Options of {@link createFakeRoom}. */
export interface FakeRoomOptions {
  /** Makes `connect` reject with this error. */
  readonly connectError?: unknown;
  /** Makes `connect` wait until this promise settles. */
  readonly connectGate?: Promise<void>;
  /** Remote participants present before connect. */
  readonly initialParticipants?: readonly RemoteParticipantLike[];
}

/** Creates a {@link FakeRoom}. */
export function createFakeRoom(options: FakeRoomOptions = {}): FakeRoom {
  const listeners = new Map<string, Set<Listener>>();
  const participants = new Map<string, RemoteParticipantLike>(
    (options.initialParticipants ?? []).map((participant) => [participant.identity, participant]),
  );
  let connected = false;
  const room: FakeRoom = {
    connectCalls: [],
    published: [],
    disconnectCalls: [],
    remoteParticipants: participants,
    get listenerCount() {
      let count = 0;
      for (const set of listeners.values()) count += set.size;
      return count;
    },
    localParticipant: {
      async publishTrack(track) {
        room.published.push(track);
        return {};
      },
    },
    async connect(url, token) {
      room.connectCalls.push({ url, token });
      if (options.connectGate !== undefined) await options.connectGate;
      if (options.connectError !== undefined) throw options.connectError;
      connected = true;
    },
    async disconnect(stopTracks) {
      room.disconnectCalls.push(stopTracks);
      if (!connected) return;
      connected = false;
      room.emit("disconnected", 1);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      return room;
    },
    off(event, listener) {
      listeners.get(event)?.delete(listener);
      return room;
    },
    emit(event, ...args) {
      if (event === "disconnected") connected = false;
      for (const listener of [...(listeners.get(event) ?? [])]) {
        (listener as (...values: unknown[]) => void)(...args);
      }
    },
    join(identity, publications = []) {
      const participant: RemoteParticipantLike = {
        identity,
        trackPublications: new Map(publications.map((entry) => [entry.trackSid, entry])),
      };
      participants.set(identity, participant);
      room.emit("participantConnected", participant);
      return participant;
    },
    leave(identity) {
      const participant = participants.get(identity);
      if (participant === undefined) return;
      participants.delete(identity);
      room.emit("participantDisconnected", participant);
    },
    subscribe(identity, publication) {
      const participant = participants.get(identity) ?? { identity };
      room.emit("trackSubscribed", {}, publication, participant);
    },
  };
  return room;
}
