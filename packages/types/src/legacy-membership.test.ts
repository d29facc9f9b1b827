import { describe, expect, it } from "vitest";
import {
  legacyDeployedG1,
  legacyJoinFromMembershipManager,
  legacyMultiSfuUpdate,
  legacySessionMembershipTemplate,
} from "./__fixtures__/membership-contents.js";
import { buildLegacyMembershipContent, parseLegacyMembershipContent } from "./legacy-membership.js";
import type { MembershipContent } from "./membership-content.js";
import type { ParseResult } from "./parse-result.js";
import { TypesError } from "./types-error.js";

const alice = { sender: "@alice:example.org" };

function join(result: ParseResult<MembershipContent>) {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.path}: ${result.error.message}`);
  if (result.value.kind !== "join") throw new Error("expected a join");
  return result.value;
}

function errorOf(result: ParseResult<unknown>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe("parseLegacyMembershipContent: fixtures", () => {
  it("reads MembershipManager's join", () => {
    expect(join(parseLegacyMembershipContent(legacyJoinFromMembershipManager, alice))).toEqual({
      kind: "join",
      dialect: "legacy",
      slotId: "m.call#ROOM",
      application: { type: "m.call" },
      memberId: "@alice:example.org:AAAAAAA",
      deviceId: "AAAAAAA",
      transports: [
        {
          type: "livekit",
          livekit_service_url: "https://active.url",
          livekit_alias: "!active:active.url",
        },
      ],
      focusSelection: "oldest_membership",
      focusActiveType: "livekit",
      expiresMs: 14400000,
    });
  });

  it("defaults memberId to sender:device_id when membershipID is absent", () => {
    const value = join(
      parseLegacyMembershipContent(legacySessionMembershipTemplate, {
        sender: "@mock:user.example",
      }),
    );
    expect(value.memberId).toBe("@mock:user.example:AAAAAAA");
    expect(value.transports).toHaveLength(2);
    expect(value.transports[1]?.livekit_service_url).toBe("https://livekit-jwt.something.dev");
    expect(value.expiresMs).toBeUndefined();
    expect(value.createdTs).toBeUndefined();
  });

  it("reads Element Call's multi-SFU update with created_ts and intent", () => {
    const value = join(parseLegacyMembershipContent(legacyMultiSfuUpdate, alice));
    expect(value).toMatchObject({
      focusSelection: "multi_sfu",
      createdTs: 1760000000000,
      expiresMs: 28800000,
      callIntent: "video",
    });
  });

  it("reads the deployed G1 example", () => {
    const value = join(parseLegacyMembershipContent(legacyDeployedG1, { sender: "@alice:hs" }));
    expect(value).toMatchObject({
      memberId: "@alice:hs:DEVICEID",
      callIntent: "audio",
      createdTs: 1700000000000,
    });
    expect(value.transports[0]).toEqual({
      type: "livekit",
      livekit_service_url: "https://…",
      livekit_alias: "!roomid:hs",
    });
  });

  it("returns deep-frozen transports", () => {
    const value = join(parseLegacyMembershipContent(legacyJoinFromMembershipManager, alice));
    expect(Object.isFrozen(value.transports)).toBe(true);
    expect(Object.isFrozen(value.transports[0])).toBe(true);
  });
});

describe("parseLegacyMembershipContent: leave and slots", () => {
  it("treats {} as a leave", () => {
    expect(parseLegacyMembershipContent({}, alice)).toEqual({
      ok: true,
      value: { kind: "leave", dialect: "legacy" },
    });
  });

  it("keeps a bare leave_reason string as its code", () => {
    expect(parseLegacyMembershipContent({ leave_reason: "lost_connection" }, alice)).toEqual({
      ok: true,
      value: { kind: "leave", dialect: "legacy", leaveReason: { code: "lost_connection" } },
    });
  });

  it("appends a non-empty call_id to the application", () => {
    const value = join(
      parseLegacyMembershipContent(
        { ...legacyJoinFromMembershipManager, call_id: "standup" },
        alice,
      ),
    );
    expect(value.slotId).toBe("m.call#standup");
  });

  it("accepts the old focus_active aliases selection and focus_select", () => {
    for (const key of ["selection", "focus_select"]) {
      const content = {
        ...legacyJoinFromMembershipManager,
        focus_active: { type: "livekit", [key]: "multi_sfu" },
      };
      expect(join(parseLegacyMembershipContent(content, alice)).focusSelection).toBe("multi_sfu");
    }
  });

  it("rejects a join without focus_active, as matrix-js-sdk 43 does", () => {
    const { focus_active: _dropped, ...withoutFocus } = legacyJoinFromMembershipManager;
    const missing = errorOf(parseLegacyMembershipContent(withoutFocus, alice));
    expect(missing.path).toBe("content.focus_active");
    expect(missing.message).toContain("matrix-js-sdk rejects it too");
    for (const focusActive of [null, "livekit", [], 5]) {
      const content = { ...legacyJoinFromMembershipManager, focus_active: focusActive };
      expect(errorOf(parseLegacyMembershipContent(content, alice)).path).toBe(
        "content.focus_active",
      );
    }
  });

  it("rejects a focus_active whose type is not a string, as matrix-js-sdk 43 does", () => {
    for (const type of [undefined, 5, null, { name: "livekit" }]) {
      const content = { ...legacyJoinFromMembershipManager, focus_active: { type } };
      const error = errorOf(parseLegacyMembershipContent(content, alice));
      expect(error.path).toBe("content.focus_active.type");
      expect(error.message).toContain("matrix-js-sdk rejects it too");
    }
  });

  it("reads a focus_active without focus_selection as no selection (readers default it)", () => {
    const content = { ...legacyJoinFromMembershipManager, focus_active: { type: "livekit" } };
    const value = join(parseLegacyMembershipContent(content, alice));
    expect(value.focusActiveType).toBe("livekit");
    expect(value.focusSelection).toBeUndefined();
  });

  it("rejects the per-user MSC3401 memberships array", () => {
    expect(errorOf(parseLegacyMembershipContent({ memberships: [] }, alice)).path).toBe(
      "content.memberships",
    );
  });
});

describe("parseLegacyMembershipContent: precise errors", () => {
  const cases: [string, unknown, string][] = [
    ["content is null", null, "content"],
    ["content is an array", [], "content"],
    [
      "application missing",
      { ...legacyJoinFromMembershipManager, application: undefined },
      "content.application",
    ],
    ["call_id not a string", { ...legacyJoinFromMembershipManager, call_id: 5 }, "content.call_id"],
    ["call_id with '#'", { ...legacyJoinFromMembershipManager, call_id: "a#b" }, "content.call_id"],
    ["device_id empty", { ...legacyJoinFromMembershipManager, device_id: "" }, "content.device_id"],
    [
      "focus_active.type missing",
      { ...legacyJoinFromMembershipManager, focus_active: {} },
      "content.focus_active.type",
    ],
    [
      "foci_preferred not an array",
      { ...legacyJoinFromMembershipManager, foci_preferred: {} },
      "content.foci_preferred",
    ],
    [
      "foci entry without type",
      { ...legacyJoinFromMembershipManager, foci_preferred: [{ type: "livekit" }, { url: "x" }] },
      "content.foci_preferred[1].type",
    ],
    ["expires negative", { ...legacyJoinFromMembershipManager, expires: -1 }, "content.expires"],
    [
      "created_ts a string",
      { ...legacyJoinFromMembershipManager, created_ts: "1" },
      "content.created_ts",
    ],
    [
      "membershipID a number",
      { ...legacyJoinFromMembershipManager, membershipID: 1 },
      "content.membershipID",
    ],
    [
      "intent an object",
      { ...legacyJoinFromMembershipManager, "m.call.intent": {} },
      "content.m.call.intent",
    ],
  ];
  it.each(cases)("%s", (_name, content, path) => {
    const error = errorOf(parseLegacyMembershipContent(content, alice));
    expect(error.path).toBe(path);
    expect(error.message).not.toBe("");
  });

  it("caps foci_preferred at 16 transports", () => {
    const foci = Array.from({ length: 17 }, () => ({ type: "full_mesh" }));
    const error = errorOf(
      parseLegacyMembershipContent(
        { ...legacyJoinFromMembershipManager, foci_preferred: foci },
        alice,
      ),
    );
    expect(error).toEqual({
      path: "content.foci_preferred",
      message: "more than 16 transports (17)",
    });
  });

  it("caps string lengths", () => {
    const error = errorOf(
      parseLegacyMembershipContent(
        { ...legacyJoinFromMembershipManager, device_id: "D".repeat(5000) },
        alice,
      ),
    );
    expect(error).toEqual({ path: "content.device_id", message: "longer than 2048 characters" });
  });

  it("needs a string sender", () => {
    expect(errorOf(parseLegacyMembershipContent({}, { sender: 3 as unknown as string })).path).toBe(
      "sender",
    );
  });

  it("reads only own properties: __proto__ keys and inherited fields are not content", () => {
    const viaJson = JSON.parse(
      '{"__proto__":{"application":"m.call","call_id":"","device_id":"D"},"scope":"m.room"}',
    );
    expect(errorOf(parseLegacyMembershipContent(viaJson, alice)).path).toBe("content.application");
    const inherited = Object.create({ application: "m.call", call_id: "", device_id: "D" });
    inherited.scope = "m.room";
    expect(errorOf(parseLegacyMembershipContent(inherited, alice)).path).toBe(
      "content.application",
    );
  });

  it("treats pseudonymous and cryptographic senders as opaque in the default memberId", () => {
    for (const sender of [
      "@Base64PublicKeyXXXX:example.org",
      "l8Hft5qXKn1vfHrg3p4+MJZHJA5x6T3bDjLzHqT9r7E",
    ]) {
      const value = join(parseLegacyMembershipContent(legacySessionMembershipTemplate, { sender }));
      expect(value.memberId).toBe(`${sender}:AAAAAAA`);
    }
  });

  it("does not throw on a hostile getter", () => {
    const content = Object.defineProperty({}, "application", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(errorOf(parseLegacyMembershipContent(content, alice)).path).toBe("content");
  });
});

describe("buildLegacyMembershipContent", () => {
  const transport = {
    type: "livekit",
    livekit_service_url: "https://active.url",
    livekit_alias: "!active:active.url",
  };

  it("writes exactly what MembershipManager sends", () => {
    expect(
      buildLegacyMembershipContent({
        deviceId: "AAAAAAA",
        slotId: "m.call#ROOM",
        memberId: "@alice:example.org:AAAAAAA",
        transports: [transport],
      }),
    ).toEqual(legacyJoinFromMembershipManager);
  });

  it("writes the multi-SFU update with created_ts and intent, in the deployed key order", () => {
    const content = buildLegacyMembershipContent({
      deviceId: "AAAAAAA",
      slotId: "m.call#ROOM",
      memberId: "@alice:example.org:AAAAAAA",
      transports: legacyMultiSfuUpdate.foci_preferred,
      focusSelection: "multi_sfu",
      createdTs: 1760000000000,
      expiresMs: 28800000,
      callIntent: "video",
    });
    expect(content).toEqual(legacyMultiSfuUpdate);
    expect(Object.keys(content)).toEqual(Object.keys(legacyMultiSfuUpdate));
  });

  it("uses the first transport's type for focus_active, livekit when there is none", () => {
    const mesh = buildLegacyMembershipContent({
      deviceId: "D",
      slotId: "m.call#ROOM",
      transports: [{ type: "full_mesh" }],
    });
    expect(mesh.focus_active).toEqual({ type: "full_mesh", focus_selection: "oldest_membership" });
    const none = buildLegacyMembershipContent({
      deviceId: "D",
      slotId: "m.call#x",
      transports: [],
    });
    expect(none).toMatchObject({
      call_id: "x",
      focus_active: { type: "livekit" },
      foci_preferred: [],
    });
    expect(none).not.toHaveProperty("membershipID");
    expect(none).not.toHaveProperty("created_ts");
    expect(none).not.toHaveProperty("m.call.intent");
  });

  it("throws a TypesError for an invalid slot id", () => {
    let caught: unknown;
    try {
      buildLegacyMembershipContent({ deviceId: "D", slotId: "m.call", transports: [] });
    } catch (error) {
      caught = error;
    }
    expect(TypesError.isInstance(caught)).toBe(true);
    expect((caught as TypesError).code).toBe("invalid-slot-id");
  });
});
