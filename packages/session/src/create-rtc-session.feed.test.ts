import { afterEach, describe, expect, it, vi } from "vitest";
import { settle, setupSession } from "../test/harness.js";
import {
  BOB,
  CAROL,
  legacyLeave,
  legacyMember,
  ROOM,
  roomState,
  SFU_B,
  stickyMember,
} from "../test/room-fixtures.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("feed and events", () => {
  it("external feed: never syncs itself, lists members from the batches it is given", async () => {
    const { session, fake, feed, events } = setupSession();
    expect(fake.syncCalls).toBe(0);
    feed([legacyMember(BOB, "BOBDEV", [SFU_B])]);
    expect(session.memberships.map((member) => [member.userId, member.deviceId])).toEqual([
      [BOB, "BOBDEV"],
    ]);
    expect(events.map((event) => event.name)).toEqual(["memberships-changed", "transport-changed"]);
    await session.close();
  });

  it("owned sync loop: applies initial and incremental batches from matrix.sync()", async () => {
    const { session, fake } = setupSession({ feed: "sync" });
    expect(fake.syncCalls).toBe(1);
    fake.push(fake.batch(ROOM, { state: roomState() }, { initial: true }));
    fake.push(fake.batch(ROOM, { timeline: [legacyMember(BOB, "BOBDEV", [SFU_B])] }));
    fake.push(fake.batch(ROOM, { sticky: [stickyMember(CAROL, "CAROLDEV", [SFU_B])] }));
    await settle(0);
    expect(session.memberships.map((member) => [member.userId, member.dialect])).toEqual([
      [BOB, "legacy"],
      [CAROL, "sticky"],
    ]);
    await session.close();
  });

  it("re-evaluates memberships when one expires, without a new batch", async () => {
    const { session, feed, events } = setupSession();
    const now = Date.now();
    // created 4 h - 10 s ago: expires in 10 s
    feed([legacyMember(BOB, "BOBDEV", [SFU_B], { createdTs: now - 14_400_000 + 10_000 })]);
    expect(session.memberships).toHaveLength(1);
    await settle(10_001);
    expect(session.memberships).toHaveLength(0);
    expect(events.filter((event) => event.name === "memberships-changed")).toHaveLength(2);
    expect(events.some((event) => event.name === "session-ended")).toBe(true);
    await session.close();
  });

  it("emits session-ended with the record when the last member leaves, and keeps past sessions", async () => {
    const { session, feed, events } = setupSession();
    feed([legacyMember(BOB, "BOBDEV", [SFU_B])]);
    await settle(60_000);
    feed([legacyLeave(BOB, "BOBDEV")]);
    const ended = events.find((event) => event.name === "session-ended");
    expect(ended?.payload).toMatchObject({
      session: { slotId: "m.call#ROOM", active: false, durationMs: 60_000 },
    });
    expect(session.pastSessions).toHaveLength(1);
    await session.close();
  });

  it("a throwing listener does not break the session", async () => {
    const { session, feed } = setupSession();
    session.on("memberships-changed", () => {
      throw new Error("listener bug");
    });
    feed([legacyMember(BOB, "BOBDEV", [SFU_B])]);
    expect(session.memberships).toHaveLength(1);
    await session.close();
  });

  it("a malformed batch from a hand-rolled feed is reported as an error event, never thrown", async () => {
    const { session, events, feed } = setupSession();
    expect(() =>
      session.applySyncBatch({ rooms: { [ROOM]: null }, toDevice: "x" } as never),
    ).not.toThrow();
    expect(events.at(-1)).toMatchObject({
      name: "error",
      payload: { fatal: false, error: { code: "sync-failed" } },
    });
    feed([legacyMember(BOB, "BOBDEV", [SFU_B])]);
    expect(session.memberships).toHaveLength(1);
    await session.close();
  });

  it("rejects bad options with a typed error", () => {
    expect(() => setupSession({ roomId: "" })).toThrow(/roomId/);
    vi.useRealTimers();
    expect(() => setupSession({ slotId: "nohash" })).toThrow(/slotId/);
  });
});
