import { describe, expect, it } from "vitest";
import * as types from "./index.js";

describe("public surface", () => {
  it("exports the constants with the contract's exact values", () => {
    expect({
      LEGACY_MEMBERSHIP_EVENT_TYPE: types.LEGACY_MEMBERSHIP_EVENT_TYPE,
      UNSTABLE_RTC_MEMBER_EVENT_TYPE: types.UNSTABLE_RTC_MEMBER_EVENT_TYPE,
      RTC_MEMBER_EVENT_TYPE: types.RTC_MEMBER_EVENT_TYPE,
      RTC_SLOT_EVENT_TYPE: types.RTC_SLOT_EVENT_TYPE,
      UNSTABLE_RTC_SLOT_EVENT_TYPE: types.UNSTABLE_RTC_SLOT_EVENT_TYPE,
      DEFAULT_SLOT_ID: types.DEFAULT_SLOT_ID,
      LEGACY_DEFAULT_EXPIRES_MS: types.LEGACY_DEFAULT_EXPIRES_MS,
      MAX_STICKY_DURATION_MS: types.MAX_STICKY_DURATION_MS,
      MEDIASOUP_TRANSPORT_TYPE: types.MEDIASOUP_TRANSPORT_TYPE,
    }).toEqual({
      LEGACY_MEMBERSHIP_EVENT_TYPE: "org.matrix.msc3401.call.member",
      UNSTABLE_RTC_MEMBER_EVENT_TYPE: "org.matrix.msc4143.rtc.member",
      RTC_MEMBER_EVENT_TYPE: "m.rtc.member",
      RTC_SLOT_EVENT_TYPE: "m.rtc.slot",
      UNSTABLE_RTC_SLOT_EVENT_TYPE: "org.matrix.msc4143.rtc.slot",
      DEFAULT_SLOT_ID: "m.call#ROOM",
      LEGACY_DEFAULT_EXPIRES_MS: 14_400_000,
      MAX_STICKY_DURATION_MS: 3_600_000,
      MEDIASOUP_TRANSPORT_TYPE: "io.mxrtc.mediasoup",
    });
  });

  it("exports every function of the contract and nothing internal", () => {
    const functions = Object.entries(types)
      .filter(([, value]) => typeof value === "function")
      .map(([name]) => name)
      .sort();
    expect(functions).toEqual(
      [
        "buildLegacyMembershipContent",
        "buildStickyLeaveContent",
        "buildStickyMembershipContent",
        "isAuthenticLegacyStateKey",
        "isFullMeshTransport",
        "isLivekitTransport",
        "isMediasoupTransport",
        "isOwnedStateRoomVersion",
        "legacyFieldsFromSlotId",
        "legacyLivekitIdentity",
        "legacyMembershipStateKey",
        "livekitIdentity",
        "livekitRoomAlias",
        "parseLegacyMembershipContent",
        "parseRtcMemberContent",
        "parseSlotContent",
        "parseSlotId",
        "parseTransport",
        "slotIdFromLegacy",
        "stickyExpiresTs",
        "transportsEqual",
        "TypesError",
      ].sort(),
    );
  });

  it("recognises a TypesError from another copy of the package by its Symbol.for marker", () => {
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("@mxrtc/types/TypesError")]: true,
    });
    expect(types.TypesError.isInstance(foreign)).toBe(true);
    expect(types.TypesError.isInstance(new Error("x"))).toBe(false);
    expect(types.TypesError.isInstance(null)).toBe(false);
    expect(types.TypesError.isInstance(new types.TypesError("invalid-input", "bad"))).toBe(true);
  });
});
