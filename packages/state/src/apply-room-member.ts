import { diagnosticFor, type EventEnvelope, isRecord } from "./event-envelope.js";
import { hasEventId, rememberEventId } from "./state-data.js";
import type { StateDraft } from "./state-draft.js";

/** Event type of room membership state. */
export const ROOM_MEMBER_EVENT_TYPE = "m.room.member";

/**
 * Apply an `m.room.member` state event: track who is joined, and start or end the
 * participations of that user's call memberships. Internal.
 */
export function applyRoomMember(
  draft: StateDraft,
  envelope: EventEnvelope & { eventId: string; sender: string },
): void {
  const userId = envelope.stateKey;
  if (userId === undefined) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "missing-state-key",
        "m.room.member without a string state_key",
        "state_key",
      ),
    );
    return;
  }
  const previous = draft.roomMembers.get(userId);
  if (hasEventId(previous?.recentEventIds, envelope.eventId)) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "duplicate-event",
        "event already applied to this state key",
        "event_id",
      ),
    );
    return;
  }
  const content = envelope.content;
  const membershipValue = isRecord(content) ? content.membership : undefined;
  let membership: string;
  if (typeof membershipValue === "string") {
    membership = membershipValue;
  } else {
    membership = "invalid";
    draft.diagnose(
      diagnosticFor(
        envelope,
        "invalid-room-member",
        "content.membership is not a string; user counts as not joined",
        "content.membership",
        true,
      ),
    );
  }
  const replaces = envelope.unsigned?.replaces_state;
  if (previous !== undefined && typeof replaces === "string" && replaces !== previous.eventId) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "state-gap",
        `replaces ${replaces} but the last applied event for this key was ${previous.eventId} (missed events or a state reset)`,
        "unsigned.replaces_state",
        true,
      ),
    );
  }
  const wasJoined = previous?.membership === "join";
  draft.roomMembers = draft.roomMembers.set(userId, {
    membership,
    eventId: envelope.eventId,
    recentEventIds: rememberEventId(previous?.recentEventIds, envelope.eventId),
  });
  draft.markChanged();
  if (wasJoined !== (membership === "join")) {
    draft.recheckUser(userId, envelope.originServerTs ?? draft.latestTs ?? 0);
  }
}
