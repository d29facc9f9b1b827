/** The legacy (G1) membership event type that matrix-js-sdk and Element Call write. */
export const CALL_MEMBER_EVENT_TYPE = "org.matrix.msc3401.call.member";

/** The js-sdk state key for the room call: `_${userId}_${deviceId}_m.call` (call_id ""). */
export function legacyCallStateKey(userId: string, deviceId: string): string {
  return `_${userId}_${deviceId}_m.call`;
}

/** A js-sdk shaped legacy membership for the room call (see matrixrtc-specs.md §1.3). */
export function legacyCallMemberContent(input: {
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
}): Record<string, unknown> {
  return {
    application: "m.call",
    call_id: "",
    scope: "m.room",
    device_id: input.deviceId,
    membershipID: `${input.userId}:${input.deviceId}`,
    expires: 14_400_000,
    "m.call.intent": "audio",
    focus_active: { type: "livekit", focus_selection: "oldest_membership" },
    foci_preferred: [
      { type: "livekit", livekit_service_url: "http://127.0.0.1:9/", livekit_alias: input.roomId },
    ],
  };
}
