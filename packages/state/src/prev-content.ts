import {
  isAuthenticLegacyStateKey,
  LEGACY_DEFAULT_EXPIRES_MS,
  type MembershipJoinContent,
  parseLegacyMembershipContent,
} from "@mxrtc/types";
import { type EventEnvelope, isRecord } from "./event-envelope.js";
import { membershipFromJoin } from "./membership-from-join.js";
import { hashString } from "./persistent-map.js";
import { type MembershipEntry, makeEntry, rememberEventId } from "./state-data.js";
import type { StateDraft } from "./state-draft.js";

/**
 * Reconstruct the membership a legacy state event replaced, from its `unsigned.prev_content`,
 * when the reducer never saw that earlier event (a limited `/sync` timeline, a dump that starts
 * mid-call). Only a valid, authentic join with `created_ts` can be placed in time; it is written
 * as if it had been applied at `created_ts` (the replaced event's own `origin_server_ts` is not
 * in `unsigned`). Returns the reconstructed entry, or undefined. Internal.
 */
export function reconstructPrevious(
  draft: StateDraft,
  envelope: EventEnvelope & { eventId: string; sender: string; originServerTs: number },
  stateKey: string,
  key: string,
  keyHash: number,
): MembershipEntry | undefined {
  const unsigned = envelope.unsigned;
  const previousContent = unsigned?.prev_content;
  const replaces = unsigned?.replaces_state;
  if (!isRecord(previousContent) || typeof replaces !== "string" || replaces.length === 0)
    return undefined;
  const sender = typeof unsigned?.prev_sender === "string" ? unsigned.prev_sender : envelope.sender;
  const parsed = parseLegacyMembershipContent(previousContent, { sender });
  if (!parsed.ok || parsed.value.kind !== "join") return undefined;
  const content = parsed.value as MembershipJoinContent;
  const createdTs = content.createdTs;
  if (createdTs === undefined || createdTs >= envelope.originServerTs) return undefined;
  const deviceId = content.deviceId ?? "";
  if (!isAuthenticLegacyStateKey(stateKey, { sender, deviceId, slotId: content.slotId }))
    return undefined;
  const replaced = { type: envelope.type, sender, eventId: replaces, originServerTs: createdTs };
  const membership = membershipFromJoin(content, {
    envelope: replaced,
    userId: sender,
    createdTs,
    expiresTs: createdTs + (content.expiresMs ?? LEGACY_DEFAULT_EXPIRES_MS),
    membershipKey: key,
  });
  const entry = makeEntry(
    key,
    keyHash,
    hashString(sender),
    "join",
    replaced,
    rememberEventId(undefined, replaces),
    undefined,
    membership,
  );
  return draft.writeEntry(undefined, entry, {
    ts: createdTs,
    continuation: false,
    closeReason: "replaced",
    startTs: createdTs,
  });
}
