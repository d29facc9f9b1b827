import { describe, expect, it } from "vitest";
import { legacyLivekitIdentity, livekitIdentity, livekitRoomAlias } from "./livekit-hash.js";

describe("MSC4195 hashing", () => {
  it("matches the MSC4195 room alias test vector", async () => {
    expect(await livekitRoomAlias("!roomid:example.com", "slot1234")).toBe(
      "O8437W3+jmzMVjoIP3tNwbm+XxHQk2iKpOA7aqw3qSc",
    );
  });

  it("matches the MSC4195 identity test vector", async () => {
    expect(await livekitIdentity("@alice:example.com", "DEVICE123", "memberABC")).toBe(
      "J+T45tGruxc+HrUOqJJlyQSV33m728Cme4+vt8/SWrU",
    );
  });

  it("matches matrix-js-sdk's CallMembership fixture (user, device, member.id; not the sticky key)", async () => {
    expect(await livekitIdentity("@alice:example.org", "AAAAAAA", "xyzHASHxyz")).toBe(
      "jUZ0Q1yF5nV3LlAI5xfD1I7BPnAytJaPEAR57EXjJ6s",
    );
    expect(await livekitIdentity("@alice:example.org", "AAAAAAA", "abc123")).not.toBe(
      "jUZ0Q1yF5nV3LlAI5xfD1I7BPnAytJaPEAR57EXjJ6s",
    );
  });

  it("is unpadded standard base64 of 32 bytes", async () => {
    const alias = await livekitRoomAlias("!a:b", "m.call#ROOM");
    expect(alias).toMatch(/^[A-Za-z0-9+/]{43}$/);
  });

  it("hashes a JSON array, so separators inside parts cannot collide", async () => {
    expect(await livekitIdentity("@a:b", "C|D", "E")).not.toBe(
      await livekitIdentity("@a:b", "C", "D|E"),
    );
  });

  it("builds the legacy identity as user:device", () => {
    expect(legacyLivekitIdentity("@alice:example.org", "AAAAAAA")).toBe(
      "@alice:example.org:AAAAAAA",
    );
  });
});
