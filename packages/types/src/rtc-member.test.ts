import { describe, expect, it } from "vitest";
import {
  msc4143Join,
  msc4143Leave,
  stickyCallMembershipSpec,
  stickyDeployedG2,
  stickyJoinFromManager,
  stickyJsSdk43,
  stickyLeave,
  stickyLeaveJsSdk43,
  stickyRtcMembershipTemplate,
  stickyV1DraftConnect,
  stickyV1DraftDisconnect,
} from "./__fixtures__/membership-contents.js";
import { livekitIdentity } from "./livekit-hash.js";
import type { MembershipContent } from "./membership-content.js";
import type { ParseResult } from "./parse-result.js";
import { parseRtcMemberContent } from "./rtc-member.js";

function parsed(result: ParseResult<MembershipContent>): MembershipContent {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.path}: ${result.error.message}`);
  return result.value;
}

function errorOf(result: ParseResult<unknown>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("parseRtcMemberContent: matrix-js-sdk sticky dialect", () => {
  it("reads StickyEventMembershipManager's join (42 shape, rtc_transports)", () => {
    expect(parsed(parseRtcMemberContent(stickyJoinFromManager))).toEqual({
      kind: "join",
      dialect: "sticky",
      slotId: "m.call#ROOM",
      application: { type: "m.call" },
      memberId: "@alice:example.org:AAAAAAA_m.call",
      claimedUserId: "@alice:example.org",
      deviceId: "AAAAAAA",
      transports: [{ type: "livekit", livekit_service_url: "https://active.url" }],
      stickyKey: "@alice:example.org:AAAAAAA_m.call",
      versions: [],
    });
  });

  it("reads the js-sdk 43 shape (transports.published + can_subscribe)", () => {
    expect(parsed(parseRtcMemberContent(stickyJsSdk43))).toMatchObject({
      dialect: "sticky",
      memberId: "@alice:hs:DEVICEID",
      claimedUserId: "@alice:hs",
      transports: [{ type: "livekit", livekit_service_url: "https://rtc.example.org/livekit/jwt" }],
      canSubscribe: ["livekit"],
      callIntent: "audio",
    });
  });

  it("prefers transports.published over rtc_transports when both are present", () => {
    const content = { ...stickyJsSdk43, rtc_transports: [{ type: "full_mesh" }] };
    const value = parsed(parseRtcMemberContent(content));
    expect(value.kind === "join" && value.transports.map((transport) => transport.type)).toEqual([
      "livekit",
    ]);
  });

  it("reads the deployed G2 example, keeping application extras", () => {
    const value = parsed(parseRtcMemberContent(stickyDeployedG2));
    expect(value).toMatchObject({
      memberId: "<memberId>",
      callIntent: "audio",
      application: { type: "m.call" },
    });
  });

  it("keeps the mocks.ts transport verbatim, nested focus fields included", () => {
    const value = parsed(parseRtcMemberContent(stickyRtcMembershipTemplate));
    expect(value).toMatchObject({ memberId: "IDIDID", stickyKey: "m.call#" });
    expect(value.kind === "join" && value.transports[0]).toEqual(
      stickyRtcMembershipTemplate.rtc_transports[0],
    );
  });

  it("rejects CallMembership.spec's slot_id 'm.call#' (empty id); with a real slot its identity hash matches", async () => {
    expect(errorOf(parseRtcMemberContent(stickyCallMembershipSpec))).toEqual({
      path: "content.slot_id",
      message: "the id part after '#' is empty",
    });
    const value = parsed(
      parseRtcMemberContent({ ...stickyCallMembershipSpec, slot_id: "m.call#ROOM" }),
    );
    if (value.kind !== "join") throw new Error("expected a join");
    expect(value.callIntent).toBe("voice");
    expect(
      await livekitIdentity(value.claimedUserId ?? "", value.deviceId ?? "", value.memberId),
    ).toBe("jUZ0Q1yF5nV3LlAI5xfD1I7BPnAytJaPEAR57EXjJ6s");
  });

  it("reads the sticky-v1 draft's claimed_* member fields", () => {
    expect(parsed(parseRtcMemberContent(stickyV1DraftConnect))).toMatchObject({
      dialect: "sticky",
      claimedUserId: "@user:matrix.domain",
      deviceId: "DEVICEID",
      stickyKey: "xyzABCDEF0123",
      versions: ["v0", "example.mscXXXX.asymmetric_encryption"],
      transports: [{ type: "livekit" }, { type: "full_mesh" }],
    });
  });

  it("reads leaves: sticky key alone, with slot_id, and the sticky-v1 disconnect", () => {
    expect(parsed(parseRtcMemberContent(stickyLeave))).toEqual({
      kind: "leave",
      dialect: "sticky",
      stickyKey: "@alice:example.org:AAAAAAA_m.call",
    });
    expect(parsed(parseRtcMemberContent(stickyLeaveJsSdk43))).toEqual({
      kind: "leave",
      dialect: "sticky",
      stickyKey: "@alice:hs:DEVICEID",
      slotId: "m.call#ROOM",
    });
    expect(parsed(parseRtcMemberContent(stickyV1DraftDisconnect))).toMatchObject({
      kind: "leave",
      stickyKey: "xyzABCDEF0123",
    });
  });
});

describe("parseRtcMemberContent: latest MSC4143 draft", () => {
  it("reads the join", () => {
    expect(parsed(parseRtcMemberContent(msc4143Join))).toEqual({
      kind: "join",
      dialect: "msc4143",
      slotId: "m.call#ROOM",
      application: { type: "m.call" },
      memberId: "{member_id}",
      transports: [{ type: "livekit" }],
      canSubscribe: ["livekit"],
      stickyKey: "{member_id}",
    });
  });

  it("reads the leave with its reason", () => {
    expect(parsed(parseRtcMemberContent(msc4143Leave))).toEqual({
      kind: "leave",
      dialect: "msc4143",
      slotId: "m.call#ROOM",
      stickyKey: "{member_id}",
      memberId: "{member_id}",
      leaveReason: { code: "{code}", reason: "{reason}" },
    });
  });

  it("reads claimed_device_id and the unstable sticky key name", () => {
    const content = {
      ...msc4143Join,
      sticky_key: undefined,
      msc4354_sticky_key: "{member_id}",
      member: { ...msc4143Join.member, claimed_device_id: "DEV" },
    };
    expect(parsed(parseRtcMemberContent(content))).toMatchObject({
      deviceId: "DEV",
      stickyKey: "{member_id}",
    });
  });
});

describe("parseRtcMemberContent: precise errors", () => {
  const cases: [string, unknown, string][] = [
    ["a number", 42, "content"],
    ["no sticky key at all", {}, "content.msc4354_sticky_key"],
    ["sticky keys differ", { sticky_key: "a", msc4354_sticky_key: "b" }, "content.sticky_key"],
    ["sticky key not a string", { msc4354_sticky_key: 7 }, "content.msc4354_sticky_key"],
    ["leave with a bad slot id", { msc4354_sticky_key: "k", slot_id: "a#b#c" }, "content.slot_id"],
    [
      "join without member.user_id",
      { ...stickyJsSdk43, member: { id: "x", device_id: "D" } },
      "content.member.user_id",
    ],
    [
      "join without device",
      { ...stickyJsSdk43, member: { id: "x", user_id: "@a:b" } },
      "content.member.device_id",
    ],
    ["join without member", { ...stickyJsSdk43, member: undefined }, "content.member"],
    [
      "join without sticky key",
      { ...stickyJsSdk43, msc4354_sticky_key: undefined },
      "content.msc4354_sticky_key",
    ],
    [
      "application not matching slot",
      { ...stickyJsSdk43, slot_id: "m.other#ROOM" },
      "content.application.type",
    ],
    [
      "application not an object",
      { ...stickyJsSdk43, application: "m.call" },
      "content.application",
    ],
    [
      "transports.published entry without type",
      { ...stickyJsSdk43, transports: { published: [{}], can_subscribe: [] } },
      "content.transports.published[0].type",
    ],
    [
      "can_subscribe not strings",
      { ...stickyJsSdk43, transports: { published: [], can_subscribe: [1] } },
      "content.transports.can_subscribe[0]",
    ],
    ["versions not strings", { ...stickyJsSdk43, versions: [1] }, "content.versions[0]"],
    [
      "msc4143 sticky key not member.id",
      { ...msc4143Join, sticky_key: "other" },
      "content.sticky_key",
    ],
    [
      "msc4143 bad membership",
      { ...msc4143Join, member: { id: "{member_id}", membership: "knock" } },
      "content.member.membership",
    ],
    [
      "msc4143 leave reason without code",
      { ...msc4143Leave, leave_reason: {} },
      "content.leave_reason.code",
    ],
    [
      "mediasoup without signalling_url",
      {
        ...stickyJsSdk43,
        transports: { published: [{ type: "io.mxrtc.mediasoup" }], can_subscribe: [] },
      },
      "content.transports.published[0].signalling_url",
    ],
  ];
  it.each(cases)("%s", (_name, content, path) => {
    const error = errorOf(parseRtcMemberContent(content));
    expect(error.path).toBe(path);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it("caps the number of transports, before copying any", () => {
    const published = new Array(1_000_000).fill({ type: "livekit" });
    expect(
      errorOf(
        parseRtcMemberContent({ ...stickyJsSdk43, transports: { published, can_subscribe: [] } }),
      ),
    ).toEqual({
      path: "content.transports.published",
      message: "more than 16 transports (1000000)",
    });
  });

  it("treats user ids as opaque: pseudonymous and bare-key ids are kept", () => {
    for (const userId of [
      "@Base64PublicKeyXXXX:example.org",
      "l8Hft5qXKn1vfHrg3p4+MJZHJA5x6T3bDjLzHqT9r7E",
    ]) {
      const content = { ...stickyJsSdk43, member: { ...stickyJsSdk43.member, user_id: userId } };
      expect(parsed(parseRtcMemberContent(content))).toMatchObject({ claimedUserId: userId });
    }
  });
});
