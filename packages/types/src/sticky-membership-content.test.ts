import { describe, expect, it } from "vitest";
import { stickyJsSdk43, stickyLeaveJsSdk43 } from "./__fixtures__/membership-contents.js";
import { parseRtcMemberContent } from "./rtc-member.js";
import {
  buildStickyLeaveContent,
  buildStickyMembershipContent,
} from "./sticky-membership-content.js";
import { TypesError } from "./types-error.js";

const input = {
  userId: "@alice:hs",
  deviceId: "DEVICEID",
  memberId: "@alice:hs:DEVICEID",
  slotId: "m.call#ROOM",
  transports: [{ type: "livekit", livekit_service_url: "https://rtc.example.org/livekit/jwt" }],
  callIntent: "audio",
};

describe("buildStickyMembershipContent", () => {
  it("writes the shape matrix-js-sdk 43 reads", () => {
    expect(buildStickyMembershipContent(input)).toEqual(stickyJsSdk43);
  });

  it("writes only msc4354_sticky_key (no sticky_key) and no intent when none is given", () => {
    const { callIntent: _intent, ...rest } = input;
    const content = buildStickyMembershipContent(rest);
    expect(content).not.toHaveProperty("sticky_key");
    expect(content.application).toEqual({ type: "m.call" });
  });

  it("defaults can_subscribe to the distinct published types, and honours an explicit list", () => {
    const transports = [
      { type: "livekit", livekit_service_url: "a" },
      { type: "livekit", livekit_service_url: "b" },
      { type: "full_mesh" },
    ];
    expect(buildStickyMembershipContent({ ...input, transports }).transports).toMatchObject({
      can_subscribe: ["livekit", "full_mesh"],
    });
    expect(
      buildStickyMembershipContent({ ...input, canSubscribe: ["io.mxrtc.mediasoup"] }).transports,
    ).toMatchObject({
      can_subscribe: ["io.mxrtc.mediasoup"],
    });
  });

  it("adds the js-sdk 42 rtc_transports array only when asked", () => {
    expect(buildStickyMembershipContent(input)).not.toHaveProperty("rtc_transports");
    expect(
      buildStickyMembershipContent({ ...input, includeRtcTransports: true }).rtc_transports,
    ).toEqual(input.transports);
  });

  it("round-trips through parseRtcMemberContent", () => {
    expect(parseRtcMemberContent(buildStickyMembershipContent(input))).toEqual({
      ok: true,
      value: {
        kind: "join",
        dialect: "sticky",
        slotId: "m.call#ROOM",
        application: { type: "m.call", "m.call.intent": "audio" },
        memberId: "@alice:hs:DEVICEID",
        claimedUserId: "@alice:hs",
        deviceId: "DEVICEID",
        transports: input.transports,
        canSubscribe: ["livekit"],
        callIntent: "audio",
        stickyKey: "@alice:hs:DEVICEID",
        versions: [],
      },
    });
  });

  it("throws a TypesError for an invalid slot id", () => {
    expect(() => buildStickyMembershipContent({ ...input, slotId: "#ROOM" })).toThrow(
      /invalid slot id/,
    );
    try {
      buildStickyLeaveContent({ memberId: "m", slotId: "a#b#c" });
    } catch (error) {
      expect(TypesError.isInstance(error)).toBe(true);
    }
    expect.assertions(2);
  });
});

describe("buildStickyLeaveContent", () => {
  it("writes {slot_id, msc4354_sticky_key} and parses back as a sticky leave", () => {
    const content = buildStickyLeaveContent({
      memberId: "@alice:hs:DEVICEID",
      slotId: "m.call#ROOM",
    });
    expect(content).toEqual(stickyLeaveJsSdk43);
    expect(parseRtcMemberContent(content)).toEqual({
      ok: true,
      value: {
        kind: "leave",
        dialect: "sticky",
        slotId: "m.call#ROOM",
        stickyKey: "@alice:hs:DEVICEID",
      },
    });
  });
});
