import { describe, expect, it } from "vitest";
import {
  isAuthenticLegacyStateKey,
  isOwnedStateRoomVersion,
  legacyMembershipStateKey,
} from "./legacy-state-key.js";

const alice = { userId: "@alice:example.org", deviceId: "AAAAAAA", slotId: "m.call#ROOM" };

describe("legacyMembershipStateKey", () => {
  it("builds the deployed key for the room call", () => {
    expect(legacyMembershipStateKey(alice)).toBe("_@alice:example.org_AAAAAAA_m.call");
  });

  it("appends other slot ids with no separator", () => {
    expect(legacyMembershipStateKey({ ...alice, slotId: "m.call#custom" })).toBe(
      "_@alice:example.org_AAAAAAA_m.callcustom",
    );
  });

  it("drops the '_' prefix in owned-state room versions", () => {
    expect(legacyMembershipStateKey({ ...alice, ownedStateRoomVersion: true })).toBe(
      "@alice:example.org_AAAAAAA_m.call",
    );
    expect(isOwnedStateRoomVersion("org.matrix.msc3757.10")).toBe(true);
    expect(isOwnedStateRoomVersion("org.matrix.msc3779.9")).toBe(true);
    expect(isOwnedStateRoomVersion("10")).toBe(false);
    expect(isOwnedStateRoomVersion("org.matrix.msc37570")).toBe(false);
  });
});

describe("isAuthenticLegacyStateKey", () => {
  const input = { sender: "@alice:example.org", deviceId: "AAAAAAA", slotId: "m.call#ROOM" };

  it("accepts the prefixed, unprefixed and per-user keys of the sender", () => {
    expect(isAuthenticLegacyStateKey("_@alice:example.org_AAAAAAA_m.call", input)).toBe(true);
    expect(isAuthenticLegacyStateKey("@alice:example.org_AAAAAAA_m.call", input)).toBe(true);
    expect(isAuthenticLegacyStateKey("@alice:example.org", input)).toBe(true);
  });

  it("accepts the real rageshake key", () => {
    expect(
      isAuthenticLegacyStateKey("_@davylandman:swat.engineering_RTLZAGOYEI_m.call", {
        sender: "@davylandman:swat.engineering",
        deviceId: "RTLZAGOYEI",
        slotId: "m.call#ROOM",
      }),
    ).toBe(true);
  });

  it("rejects a key naming someone else, another device or another slot", () => {
    expect(
      isAuthenticLegacyStateKey("_@alice:example.org_AAAAAAA_m.call", {
        ...input,
        sender: "@mallory:example.org",
      }),
    ).toBe(false);
    expect(
      isAuthenticLegacyStateKey("_@alice:example.org_AAAAAAA_m.call", {
        ...input,
        deviceId: "BBBBBBB",
      }),
    ).toBe(false);
    expect(
      isAuthenticLegacyStateKey("_@alice:example.org_AAAAAAA_m.call", {
        ...input,
        slotId: "m.call#other",
      }),
    ).toBe(false);
    expect(isAuthenticLegacyStateKey("_@alice:example.org_AAAAAAA_m.callx", input)).toBe(false);
    expect(isAuthenticLegacyStateKey("__@alice:example.org_AAAAAAA_m.call", input)).toBe(false);
    expect(isAuthenticLegacyStateKey("", { ...input, sender: "" })).toBe(false);
  });

  it("rejects a prefix trick where the sender is a prefix of the named user", () => {
    expect(
      isAuthenticLegacyStateKey("_@alice:example.org.evil_AAAAAAA_m.call", {
        ...input,
        sender: "@alice:example.org",
      }),
    ).toBe(false);
  });

  it("works for pseudonymous (MSC4014) and cryptographic (MSC4080) senders", () => {
    for (const sender of [
      "@Base64PublicKeyXXXX:example.org",
      "l8Hft5qXKn1vfHrg3p4+MJZHJA5x6T3bDjLzHqT9r7E",
    ]) {
      const stateKey = legacyMembershipStateKey({
        userId: sender,
        deviceId: "DEV",
        slotId: "m.call#ROOM",
      });
      expect(stateKey).toBe(`_${sender}_DEV_m.call`);
      expect(
        isAuthenticLegacyStateKey(stateKey, { sender, deviceId: "DEV", slotId: "m.call#ROOM" }),
      ).toBe(true);
      expect(
        isAuthenticLegacyStateKey(stateKey, {
          sender: "@other:example.org",
          deviceId: "DEV",
          slotId: "m.call#ROOM",
        }),
      ).toBe(false);
    }
  });

  it("accepts both spellings for another application's ROOM slot", () => {
    const other = { sender: "@a:b", deviceId: "D", slotId: "com.example#ROOM" };
    expect(isAuthenticLegacyStateKey("_@a:b_D_com.example", other)).toBe(true);
    expect(isAuthenticLegacyStateKey("_@a:b_D_com.exampleROOM", other)).toBe(true);
  });

  it("returns false rather than throwing on non-string input", () => {
    expect(isAuthenticLegacyStateKey(1 as unknown as string, input)).toBe(false);
    expect(isAuthenticLegacyStateKey("@a:b", null as unknown as typeof input)).toBe(false);
  });
});
