import type { MembershipJoinContent } from "@mxrtc/types";
import type { RtcMembership } from "./rtc-membership.js";

/** Build the frozen public membership from parsed join content. Internal. */
export function membershipFromJoin(
  content: MembershipJoinContent,
  context: {
    readonly envelope: {
      readonly type: string;
      readonly eventId: string;
      readonly originServerTs: number;
    };
    readonly userId: string;
    readonly createdTs: number;
    readonly expiresTs: number | undefined;
    readonly membershipKey: string;
  },
): RtcMembership {
  const membership: { -readonly [K in keyof RtcMembership]: RtcMembership[K] } = {
    userId: context.userId,
    deviceId: content.deviceId ?? "",
    memberId: content.memberId,
    slotId: content.slotId,
    application: content.application,
    transports: content.transports,
    createdTs: context.createdTs,
    dialect: content.dialect,
    eventId: context.envelope.eventId,
    originServerTs: context.envelope.originServerTs,
    eventType: context.envelope.type,
    membershipKey: context.membershipKey,
  };
  if (context.expiresTs !== undefined) membership.expiresTs = context.expiresTs;
  if (content.dialect === "legacy")
    membership.focusSelection = content.focusSelection ?? "oldest_membership";
  if (content.canSubscribe !== undefined) membership.canSubscribe = content.canSubscribe;
  if (content.callIntent !== undefined) membership.callIntent = content.callIntent;
  return Object.freeze(membership);
}
