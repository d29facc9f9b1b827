import { describe, expect, it } from "vitest";
import { legacyExpiresMs, planOwnMembership } from "./own-membership.js";

const base = {
  roomId: "!r:hs",
  slotId: "m.call#ROOM",
  userId: "@a:hs",
  deviceId: "DEV",
  memberId: "@a:hs:DEV",
  focusSelection: "oldest_membership",
} as const;

describe("planOwnMembership", () => {
  it("legacy: state key with the underscore unless the room version owns state; state leave {}", () => {
    const plan = planOwnMembership({ ...base, dialect: "legacy", roomVersion: "11" });
    expect(plan.stateKey).toBe("_@a:hs_DEV_m.call");
    expect(plan.leave).toEqual({
      kind: "state",
      roomId: "!r:hs",
      eventType: "org.matrix.msc3401.call.member",
      stateKey: "_@a:hs_DEV_m.call",
      content: {},
    });
    expect(
      planOwnMembership({ ...base, dialect: "legacy", roomVersion: "org.matrix.msc3779.11" })
        .stateKey,
    ).toBe("@a:hs_DEV_m.call");
  });

  it("sticky: a sticky leave with only the sticky key and slot id, 1 h", () => {
    const plan = planOwnMembership({ ...base, dialect: "sticky", roomVersion: undefined });
    expect(plan.stateKey).toBeUndefined();
    expect(plan.leave).toEqual({
      kind: "sticky",
      roomId: "!r:hs",
      eventType: "org.matrix.msc4143.rtc.member",
      content: { slot_id: "m.call#ROOM", msc4354_sticky_key: "@a:hs:DEV" },
      stickyDurationMs: 3_600_000,
    });
  });
});

describe("legacyExpiresMs", () => {
  const step = 14_400_000;
  it("never writes an expires that has already lapsed (prior-art §2.9)", () => {
    for (const elapsed of [0, 1, step - 1, step, 5 * step + 7]) {
      const expires = legacyExpiresMs({
        createdTs: 0,
        now: elapsed,
        stepMs: step,
        headroomMs: 600_000,
      });
      expect(expires % step).toBe(0);
      expect(expires).toBeGreaterThan(elapsed + 600_000);
      expect(expires - step).toBeLessThanOrEqual(elapsed + 600_000);
    }
  });
});
