import type { FocusMemberV1 } from "@mxrtc/focus";
import type { ListenerRegistry } from "./listener-registry.js";
import type { RemoteParticipantLike, RemoteTrackPublicationLike } from "./room-like.js";

/** The remote participants and subscribed tracks of one room, mapped to members (internal). */
export interface ParticipantTracker {
  /** Replaces the identity → member map and emits the joins and leaves that follow. */
  setIdentities(identities: ReadonlyMap<string, FocusMemberV1>): void;
  /** A participant is in the room (with its already-subscribed tracks). */
  addParticipant(participant: RemoteParticipantLike): void;
  /** A participant left: its tracks go, then the participant. */
  removeParticipant(identity: string): void;
  /** Whether the participant is known to be in the room. */
  has(identity: string): boolean;
  /** An audio or video track of a participant became available (others are ignored). */
  addTrack(participantId: string, publication: RemoteTrackPublicationLike): void;
  /** A track went away. */
  removeTrack(participantId: string, trackSid: string): void;
  /** Every track and participant goes, with events (a lost room). */
  removeAll(): void;
  /** Forgets everything without events (close). */
  clear(): void;
  /** The participants with their members. */
  participants(): { readonly participantId: string; readonly member: FocusMemberV1 | undefined }[];
}

/**
 * Creates a {@link ParticipantTracker}: a participant emits `participant-joined` while it is in the
 * room and its identity maps to a member, and `participant-left` when either stops being true.
 */
export function createParticipantTracker(
  listeners: ListenerRegistry,
  initialIdentities: ReadonlyMap<string, FocusMemberV1>,
): ParticipantTracker {
  let identities = initialIdentities;
  const present = new Set<string>();
  const joined = new Map<string, FocusMemberV1>();
  const tracks = new Map<string, string>(); // trackSid → participant identity

  const reconcile = () => {
    for (const [identity, member] of joined) {
      if (present.has(identity) && identities.get(identity) === member) continue;
      joined.delete(identity);
      listeners.emit("participant-left", { member, participantId: identity });
    }
    for (const identity of present) {
      const member = identities.get(identity);
      if (member === undefined || joined.has(identity)) continue;
      joined.set(identity, member);
      listeners.emit("participant-joined", { member, participantId: identity });
    }
  };

  const tracker: ParticipantTracker = {
    setIdentities(next) {
      identities = next;
      reconcile();
    },
    addParticipant(participant) {
      present.add(participant.identity);
      reconcile();
      for (const publication of participant.trackPublications?.values() ?? []) {
        if (publication.isSubscribed === true) tracker.addTrack(participant.identity, publication);
      }
    },
    removeParticipant(identity) {
      for (const [trackSid, owner] of [...tracks]) {
        if (owner === identity) tracker.removeTrack(owner, trackSid);
      }
      present.delete(identity);
      reconcile();
    },
    has: (identity) => present.has(identity),
    addTrack(participantId, publication) {
      const kind = publication.kind;
      if ((kind !== "audio" && kind !== "video") || tracks.has(publication.trackSid)) return;
      tracks.set(publication.trackSid, participantId);
      listeners.emit("track-added", { participantId, kind, trackId: publication.trackSid });
    },
    removeTrack(participantId, trackSid) {
      if (!tracks.delete(trackSid)) return;
      listeners.emit("track-removed", { participantId, trackId: trackSid });
    },
    removeAll() {
      for (const [trackSid, participantId] of [...tracks])
        tracker.removeTrack(participantId, trackSid);
      present.clear();
      reconcile();
    },
    clear() {
      present.clear();
      joined.clear();
      tracks.clear();
    },
    participants: () =>
      [...present].map((participantId) => ({
        participantId,
        member: identities.get(participantId),
      })),
  };
  return tracker;
}
