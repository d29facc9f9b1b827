import { MatrixError } from "@mxrtc/matrix";
import { afterEach, describe, expect, it, vi } from "vitest";
import { START_TS, settle, setupSession } from "../test/harness.js";
import { ALICE, legacyLeave, legacyMember, ROOM, SFU_A } from "../test/room-fixtures.js";
import { SessionError } from "./session-error.js";

const TYPE = "org.matrix.msc3401.call.member";
const KEY = "_@alice:example.org_ALICEDEV_m.call";

afterEach(() => {
  vi.useRealTimers();
});

describe("join (legacy dialect)", () => {
  it("arms the delayed leave before the membership PUT, with the exact legacy content and key", async () => {
    const { session, log, fake, delayed } = setupSession();
    await session.join();
    const scheduleIndex = log.indexOf(`schedule ${TYPE} ${KEY}`);
    const putIndex = log.indexOf(`state ${TYPE} ${KEY}`);
    expect(scheduleIndex).toBeGreaterThanOrEqual(0);
    expect(putIndex).toBeGreaterThan(scheduleIndex);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]?.stateKey).toBe(KEY);
    expect(fake.sent[0]?.content).toEqual({
      application: "m.call",
      call_id: "",
      scope: "m.room",
      device_id: "ALICEDEV",
      membershipID: "@alice:example.org:ALICEDEV",
      expires: 14_400_000,
      focus_active: { type: "livekit", focus_selection: "oldest_membership" },
      foci_preferred: [SFU_A],
    });
    expect([...delayed.scheduled.values()][0]).toMatchObject({
      eventType: TYPE,
      stateKey: KEY,
      content: {},
      delayMs: 8000,
    });
    expect(session.joinState).toBe("joined");
    await session.close();
  });

  it("keeps the delay id in localStorage where it exists, so a reloaded page can cancel it", async () => {
    const stored = new Map<string, string>();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
      removeItem: (key: string) => void stored.delete(key),
    });
    try {
      const { session, delayed } = setupSession();
      await session.join();
      const delayId = [...delayed.scheduled.keys()][0];
      expect(delayId).toBeDefined();
      expect([...stored.values()].some((value) => value.includes(String(delayId)))).toBe(true);
      await session.close();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("drops the leading underscore in owned-state room versions", async () => {
    const { session, fake } = setupSession({ roomVersion: "org.matrix.msc3757.10" });
    await session.join();
    expect(fake.sent[0]?.stateKey).toBe("@alice:example.org_ALICEDEV_m.call");
    await session.close();
  });

  it("keeps created_ts (our first origin_server_ts) and extends expires on refresh", async () => {
    const { session, fake, echo } = setupSession({ expiresMs: 60_000, refreshLeadMs: 10_000 });
    await session.join();
    echo();
    const firstTs = fake.sent[0]?.ts;
    expect(firstTs).toBe(START_TS);
    await settle(50_000);
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1]?.content).toMatchObject({ created_ts: firstTs, expires: 120_000 });
    echo();
    await settle(60_000);
    expect(fake.sent).toHaveLength(3);
    expect(fake.sent[2]?.content).toMatchObject({ created_ts: firstTs, expires: 180_000 });
    expect(session.memberships.map((member) => member.createdTs)).toEqual([firstTs]);
    await session.close();
  });

  it("ignores a stale membership of ours (a crashed earlier instance) for created_ts", async () => {
    const { session, fake, feed, echo } = setupSession({
      expiresMs: 60_000,
      refreshLeadMs: 10_000,
    });
    const stale = legacyMember(ALICE, "ALICEDEV", [SFU_A], { ts: START_TS - 30_000 });
    feed([{ ...stale, content: { ...stale.content, membershipID: `${ALICE}:ALICEDEV` } }]);
    await settle(0);
    expect(session.memberships[0]?.isLocal).toBe(true);
    await settle(1000);
    await session.join();
    expect(fake.sent[0]?.content).not.toHaveProperty("created_ts");
    echo();
    await settle(50_000);
    expect(fake.sent[1]?.content).toMatchObject({ created_ts: START_TS + 1000 });
    await session.close();
  });

  it("update() re-sends through the scheduler with the new intent and the kept created_ts", async () => {
    const { session, fake, echo, log } = setupSession();
    await session.join();
    echo();
    await settle(1000);
    const restartsBefore = log.filter((line) => line.startsWith("restart")).length;
    await session.update({ callIntent: "video" });
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1]?.content).toMatchObject({
      "m.call.intent": "video",
      created_ts: START_TS,
      expires: 14_400_000,
    });
    // the scheduler proved the delayed leave alive before the re-send
    expect(log.filter((line) => line.startsWith("restart")).length).toBeGreaterThan(restartsBefore);
    await session.close();
  });

  it("concurrent updates queue behind each other; the last intent is what stays", async () => {
    const { session, fake, echo, log } = setupSession();
    await session.join();
    echo();
    await Promise.all([
      session.update({ callIntent: "video" }),
      session.update({ callIntent: "audio" }),
    ]);
    expect(fake.sent).toHaveLength(3);
    expect(fake.sent.at(-1)?.content["m.call.intent"]).toBe("audio");
    // every re-send is preceded by a restart proving the delayed leave alive
    const writes = log.filter((line) => line.startsWith("state") || line.startsWith("restart"));
    expect(writes.slice(-4).map((line) => line.split(" ")[0])).toEqual([
      "restart",
      "state",
      "restart",
      "state",
    ]);
    await session.close();
  });

  it("403 on the membership PUT: cancels the armed leave and names the missing power level", async () => {
    const { session, fake, delayed, log } = setupSession({ memberLevel: 50 });
    fake.refuseSends(
      new MatrixError({ status: 403, errcode: "M_FORBIDDEN", body: { errcode: "M_FORBIDDEN" } }),
    );
    const error = await session.join().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(SessionError.isInstance(error)).toBe(true);
    const sessionError = error as SessionError;
    expect(sessionError.code).toBe("insufficient-power-level");
    expect(sessionError.requiredPowerLevel).toBe(50);
    expect(sessionError.userPowerLevel).toBe(0);
    expect(sessionError.eventType).toBe(TYPE);
    expect(sessionError.message).toContain("needs 50");
    expect(sessionError.message).toContain(ALICE);
    expect(log).toContain("cancel delay1");
    expect(delayed.scheduled.size).toBe(0);
    expect(session.joinState).toBe("left");
    await session.close();
  });

  it("a 403 that the power levels do not explain is a join-failed error", async () => {
    const { session, fake } = setupSession();
    fake.refuseSends(new MatrixError({ status: 403, errcode: "M_FORBIDDEN", body: {} }));
    await expect(session.join()).rejects.toMatchObject({ code: "join-failed" });
    await session.close();
  });

  it("leave() closes the focus, then sends the delayed leave now", async () => {
    const { session, log, focus, echo, events } = setupSession();
    await session.join();
    echo();
    await settle(0);
    expect(focus.open).toHaveLength(1);
    await session.leave();
    expect(focus.open).toHaveLength(0);
    expect(log).toContain("send-delayed delay1");
    expect(session.joinState).toBe("left");
    const joinStates = events
      .filter((event) => event.name === "join-state-changed")
      .map((event) => (event.payload as { joinState: string }).joinState);
    expect(joinStates).toEqual(["joining", "joined", "leaving", "left"]);
    await session.close();
  });

  it("tells the scheduler our membership vanished only after it was seen since the last write", async () => {
    const { session, fake, echo, feed, log } = setupSession();
    await session.join();
    // Another member's change before our own event came back: no false rejoin (prior-art §2.7).
    feed([]);
    await settle(100);
    expect(fake.sent).toHaveLength(1);
    echo();
    await settle(100);
    // The delayed leave fired after a partition: our membership is gone.
    feed([legacyLeave(ALICE, "ALICEDEV")]);
    await settle(100);
    expect(log.filter((line) => line.startsWith("schedule"))).toHaveLength(2);
    expect(fake.sent).toHaveLength(2);
    expect(fake.sent[1]?.content).not.toHaveProperty("created_ts");
    expect(session.joinState).toBe("joined");
    await session.close();
  });

  it("join fails with a typed error when no transport is known", async () => {
    const { session } = setupSession({ transports: undefined as never });
    await expect(session.join()).rejects.toMatchObject({ code: "no-transport" });
    expect(session.joinState).toBe("left");
    await session.close();
  });

  it("discovers transports from /rtc/transports, then .well-known", async () => {
    const rtc = setupSession({
      transports: undefined as never,
      matrixOptions: {
        requests: {
          "/_matrix/client/unstable/org.matrix.msc4143/rtc/transports": { rtc_transports: [SFU_A] },
        },
      },
    });
    await rtc.session.join();
    expect(rtc.fake.sent[0]?.content.foci_preferred).toEqual([SFU_A]);
    await rtc.session.close();
    vi.useRealTimers();
    const wellKnown = setupSession({
      transports: undefined as never,
      matrixOptions: {
        requests: {
          "/.well-known/matrix/client": {
            "org.matrix.msc4143.rtc_foci": [{ type: "livekit", livekit_service_url: "https://wk" }],
          },
        },
      },
    });
    await wellKnown.session.join();
    expect(wellKnown.fake.sent[0]?.content.foci_preferred).toEqual([
      { type: "livekit", livekit_service_url: "https://wk" },
    ]);
    await wellKnown.session.close();
  });

  it("sends the scheduler's delay id to a connection that supports delegation", async () => {
    const { session, focus, echo } = setupSession({ delegation: true });
    await session.join();
    echo();
    await settle(0);
    expect(focus.connections[0]?.delegations).toEqual([{ delayId: "delay1", delayMs: 8000 }]);
    expect(focus.connections[0]?.options.roomId).toBe(ROOM);
    await session.close();
  });
});
