/**
 * A member written by us: @mxrtc/types writers sent with @mxrtc/matrix, in either dialect.
 */
import { createMatrixClient, type MatrixClient } from "@mxrtc/matrix";
import type { RegisteredUser, SynapseInfo } from "@mxrtc/stack";
import {
  buildLegacyMembershipContent,
  buildStickyLeaveContent,
  buildStickyMembershipContent,
  DEFAULT_SLOT_ID,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
  MAX_STICKY_DURATION_MS,
  type RtcTransport,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
} from "@mxrtc/types";

/** One of our members in the room's default slot. */
export interface OurMember {
  readonly user: RegisteredUser;
  readonly matrix: MatrixClient;
  readonly memberId: string;
  /** Sends a legacy state membership; returns the content sent. */
  joinLegacy(transport: RtcTransport): Promise<Record<string, unknown>>;
  /** Sends `{}` to our legacy state key. */
  leaveLegacy(): Promise<void>;
  /** Sends a sticky `org.matrix.msc4143.rtc.member` join (1 h); returns the content sent. */
  joinSticky(transport: RtcTransport): Promise<Record<string, unknown>>;
  /** Sends the sticky leave `{slot_id, msc4354_sticky_key}`. */
  leaveSticky(): Promise<void>;
}

/** Creates an {@link OurMember} for `user` in `roomId` with `memberId` (default `${userId}:${deviceId}`). */
export function ourMember(
  synapse: SynapseInfo,
  user: RegisteredUser,
  roomId: string,
  options: { readonly memberId?: string } = {},
): OurMember {
  const matrix = createMatrixClient({
    baseUrl: synapse.baseUrl,
    accessToken: user.accessToken,
    userId: user.userId,
    deviceId: user.deviceId,
  });
  const memberId = options.memberId ?? `${user.userId}:${user.deviceId}`;
  const slotId = DEFAULT_SLOT_ID;
  const stateKey = legacyMembershipStateKey({
    userId: user.userId,
    deviceId: user.deviceId,
    slotId,
  });
  return {
    user,
    matrix,
    memberId,
    async joinLegacy(transport) {
      const content = buildLegacyMembershipContent({
        deviceId: user.deviceId,
        slotId,
        memberId,
        transports: [transport],
        focusSelection: "oldest_membership",
      });
      await matrix.sendStateEvent(roomId, LEGACY_MEMBERSHIP_EVENT_TYPE, stateKey, content);
      return content;
    },
    async leaveLegacy() {
      await matrix.sendStateEvent(roomId, LEGACY_MEMBERSHIP_EVENT_TYPE, stateKey, {});
    },
    async joinSticky(transport) {
      const content = buildStickyMembershipContent({
        userId: user.userId,
        deviceId: user.deviceId,
        memberId,
        slotId,
        transports: [transport],
      });
      await matrix.sendEvent(roomId, UNSTABLE_RTC_MEMBER_EVENT_TYPE, content, {
        stickyDurationMs: MAX_STICKY_DURATION_MS,
      });
      return content;
    },
    async leaveSticky() {
      await matrix.sendEvent(
        roomId,
        UNSTABLE_RTC_MEMBER_EVENT_TYPE,
        buildStickyLeaveContent({ memberId, slotId }),
        { stickyDurationMs: MAX_STICKY_DURATION_MS },
      );
    },
  };
}
