import {
  isAuthenticLegacyStateKey,
  LEGACY_DEFAULT_EXPIRES_MS,
  type MembershipJoinContent,
  parseLegacyMembershipContent,
} from "@mxrtc/types";
import { diagnosticFor, type EventEnvelope } from "./event-envelope.js";
import { membershipFromJoin } from "./membership-from-join.js";
import { hashString } from "./persistent-map.js";
import { reconstructPrevious } from "./prev-content.js";
import { hasEventId, idHash, makeEntry, rememberEventId, senderHashFor } from "./state-data.js";
import type { StateDraft } from "./state-draft.js";

type ReadyEnvelope = EventEnvelope & { eventId: string; sender: string; originServerTs: number };

/**
 * Apply a legacy `org.matrix.msc3401.call.member` state event. The server's order is the truth:
 * this event replaces whatever the state key held, so an invalid or forged update removes the
 * earlier valid membership. Internal.
 */
export function applyLegacyMembership(draft: StateDraft, envelope: ReadyEnvelope): void {
  const stateKey = envelope.stateKey;
  if (stateKey === undefined) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "missing-state-key",
        "call membership without a string state_key",
        "state_key",
      ),
    );
    return;
  }
  const key = `state:${stateKey}`;
  const keyHash = hashString(key);
  const held = draft.entries.get(key, keyHash);
  const eventHash = idHash(envelope.eventId);
  if (hasEventId(held?.recentEventIds, envelope.eventId, eventHash)) {
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
  const replaces = envelope.unsigned?.replaces_state;
  if (held !== undefined && typeof replaces === "string" && replaces !== held.eventId) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "state-gap",
        `replaces ${replaces} but the last applied event for this key was ${held.eventId} (missed events or a state reset)`,
        "unsigned.replaces_state",
        true,
      ),
    );
  }
  const previous = held ?? reconstructPrevious(draft, envelope, stateKey, key, keyHash);
  const senderHash = senderHashFor(previous, envelope.sender);
  const ts = envelope.originServerTs;
  const recent = rememberEventId(previous?.recentEventIds, envelope.eventId, eventHash);
  // Transports equal to the ones this key held are shared, not copied again (refreshes).
  const parsed = parseLegacyMembershipContent(envelope.content, {
    sender: envelope.sender,
    reuse: previous?.membership,
  });
  if (!parsed.ok) {
    draft.diagnose(
      diagnosticFor(envelope, "invalid-content", parsed.error.message, parsed.error.path),
    );
    draft.writeEntry(
      previous,
      makeEntry(key, keyHash, senderHash, "rejected", envelope, recent, undefined, undefined),
      {
        ts,
        continuation: false,
        closeReason: "left",
      },
    );
    return;
  }
  const content = parsed.value;
  if (content.kind === "leave") {
    draft.writeEntry(
      previous,
      makeEntry(key, keyHash, senderHash, "leave", envelope, recent, undefined, undefined),
      {
        ts,
        continuation: false,
        closeReason: "left",
      },
    );
    return;
  }
  const deviceId = content.deviceId ?? "";
  // The check is a pure function of (state key, sender, device, slot): a join this key already
  // holds with the same three passed it, so refreshes skip it.
  const heldJoin = previous?.status === "join" ? previous.membership : undefined;
  const checked =
    heldJoin !== undefined &&
    heldJoin.userId === envelope.sender &&
    heldJoin.deviceId === deviceId &&
    heldJoin.slotId === content.slotId;
  if (
    !checked &&
    !isAuthenticLegacyStateKey(stateKey, {
      sender: envelope.sender,
      deviceId,
      slotId: content.slotId,
    })
  ) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "forged-membership",
        `state key ${JSON.stringify(stateKey)} does not belong to sender ${envelope.sender} with device ${JSON.stringify(deviceId)} in slot ${content.slotId}`,
        "state_key",
      ),
    );
    draft.writeEntry(
      previous,
      makeEntry(key, keyHash, senderHash, "rejected", envelope, recent, undefined, undefined),
      {
        ts,
        continuation: false,
        closeReason: "left",
      },
    );
    return;
  }
  const selection = content.focusSelection;
  // Compared, not looked up in a Set: hashing a fresh string on every event costs more.
  if (selection !== undefined && selection !== "oldest_membership" && selection !== "multi_sfu") {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "unknown-focus-selection",
        `focus_selection ${JSON.stringify(content.focusSelection)} is unknown; the member counts but selects no transport`,
        "content.focus_active.focus_selection",
        true,
      ),
    );
  }
  const createdTs = content.createdTs ?? ts;
  const membership = membershipFromJoin(content as MembershipJoinContent, {
    envelope,
    userId: envelope.sender,
    createdTs,
    expiresTs: createdTs + (content.expiresMs ?? LEGACY_DEFAULT_EXPIRES_MS),
    membershipKey: key,
  });
  const previousMembership = previous?.status === "join" ? previous.membership : undefined;
  const continuation =
    previousMembership !== undefined &&
    previousMembership.slotId === membership.slotId &&
    previousMembership.memberId === membership.memberId &&
    previousMembership.deviceId === membership.deviceId &&
    previousMembership.createdTs === membership.createdTs;
  const entry = makeEntry(
    key,
    keyHash,
    senderHash,
    "join",
    envelope,
    recent,
    undefined,
    membership,
  );
  // First sight of this key (e.g. a room state snapshot): the member has counted since createdTs.
  const startTs = previous === undefined ? Math.min(createdTs, ts) : ts;
  draft.writeEntry(previous, entry, { ts, continuation, closeReason: "replaced", startTs });
}
