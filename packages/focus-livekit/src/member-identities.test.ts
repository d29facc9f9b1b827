import type { FocusMemberV1 } from "@mxrtc/focus";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memberIdentities } from "./member-identities.js";

const alice: FocusMemberV1 = {
  userId: "@alice:example.com",
  deviceId: "DEVICE123",
  memberId: "memberABC",
  transports: [],
};

describe("memberIdentities", () => {
  it("maps the MSC4195 identity test vector and the legacy user:device identity to the member", async () => {
    const identities = await memberIdentities([alice], "local");
    expect(identities.get("J+T45tGruxc+HrUOqJJlyQSV33m728Cme4+vt8/SWrU")).toBe(alice);
    expect(identities.get("@alice:example.com:DEVICE123")).toBe(alice);
    expect(identities.size).toBe(2);
  });

  it("maps matrix-js-sdk's fixture identity (user, device, member.id)", async () => {
    const member = {
      userId: "@alice:example.org",
      deviceId: "AAAAAAA",
      memberId: "xyzHASHxyz",
      transports: [],
    };
    const identities = await memberIdentities([member], "local");
    expect(identities.get("jUZ0Q1yF5nV3LlAI5xfD1I7BPnAytJaPEAR57EXjJ6s")).toBe(member);
  });

  it("skips the local member and malformed entries, and never throws", async () => {
    const identities = await memberIdentities(
      [
        alice,
        { ...alice, memberId: "local" },
        null,
        7,
        { userId: 1 },
        { userId: "@x:y", deviceId: "D" },
      ],
      "local",
    );
    expect([...new Set(identities.values())]).toEqual([alice]);
    expect((await memberIdentities("nonsense", "local")).size).toBe(0);
  });

  it("keeps one legacy identity for the first of two memberships of one device", async () => {
    const second = { ...alice, memberId: "memberDEF" };
    const identities = await memberIdentities([alice, second], "local");
    expect(identities.get("@alice:example.com:DEVICE123")).toBe(alice);
    expect(identities.size).toBe(3);
  });

  describe("without Web Crypto", () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it("still maps the legacy identity instead of failing", async () => {
      vi.stubGlobal("crypto", undefined);
      const identities = await memberIdentities([alice], "local");
      expect([...identities.keys()]).toEqual(["@alice:example.com:DEVICE123"]);
    });
  });
});
