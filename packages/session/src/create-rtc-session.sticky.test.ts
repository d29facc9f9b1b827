import { afterEach, describe, expect, it, vi } from "vitest";
import { settle, setupSession } from "../test/harness.js";
import { ALICE, SFU_A } from "../test/room-fixtures.js";

afterEach(() => {
  vi.useRealTimers();
});

const STICKY = { matrixOptions: { unstableFeatures: { "org.matrix.msc4354": true } } };

describe("join (sticky dialect)", () => {
  it("fails with sticky-unsupported when the server does not advertise MSC4354", async () => {
    const { session, log } = setupSession({ dialect: "sticky" });
    await expect(session.join()).rejects.toMatchObject({ code: "sticky-unsupported" });
    expect(log.filter((line) => line.startsWith("schedule"))).toEqual([]);
    await session.close();
  });

  it("arms a sticky delayed leave, then sends the sticky membership for 1 h", async () => {
    const { session, fake, log, echo } = setupSession({ dialect: "sticky", ...STICKY });
    await session.join();
    expect(log.indexOf("schedule org.matrix.msc4143.rtc.member sticky=3600000")).toBeLessThan(
      log.indexOf("send org.matrix.msc4143.rtc.member"),
    );
    expect(fake.sent[0]?.options?.stickyDurationMs).toBe(3_600_000);
    expect(fake.sent[0]?.content).toEqual({
      application: { type: "m.call" },
      slot_id: "m.call#ROOM",
      member: { user_id: ALICE, device_id: "ALICEDEV", id: `${ALICE}:ALICEDEV` },
      transports: { published: [SFU_A], can_subscribe: ["livekit"] },
      versions: [],
      msc4354_sticky_key: `${ALICE}:ALICEDEV`,
    });
    echo();
    expect(session.memberships[0]).toMatchObject({ dialect: "sticky", isLocal: true });
    // re-sent before the stickiness lapses (1 h - 5 min)
    await settle(3_300_000);
    expect(fake.sent.filter((sent) => sent.kind === "message")).toHaveLength(2);
    await session.close();
  });
});
