import { describe, expect, it } from "vitest";
import { errors } from "../test/fake-delayed-events.js";
import { createHarness, ROOM_ID, STATE_LEAVE } from "../test/harness.js";
import { createMemoryDelayIdStorage, delayIdStorageKey } from "./delay-id-storage.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";

describe("join", () => {
  it("arms the delayed leave before sending the membership, then probes it", async () => {
    const harness = createHarness();
    await harness.joined();
    expect(harness.requests()).toEqual(["scheduleStateEvent", "membership", "restart:delay-1"]);
    expect(harness.server.calls[0]?.delayMs).toBe(8000);
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.scheduler.delayId).toBe("delay-1");
    expect(harness.transitions).toEqual([
      ["idle", "arming"],
      ["arming", "joining"],
      ["joining", "joined"],
    ]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
  });

  it("emits delayed-leave-scheduled with the deadline", async () => {
    const harness = createHarness();
    const start = harness.clock.now();
    await harness.joined();
    expect(harness.payloads("delayed-leave-scheduled")).toEqual([
      { delayId: "delay-1", delayMs: 8000, deadlineTs: start + 8000 },
    ]);
  });

  it("schedules a sticky leave as a message event with the sticky duration", async () => {
    const harness = createHarness({
      leave: {
        kind: "sticky",
        roomId: ROOM_ID,
        eventType: "org.matrix.msc4143.rtc.member",
        content: { msc4354_sticky_key: "member-1" },
        stickyDurationMs: 3_600_000,
      },
    });
    await harness.joined();
    expect(harness.requests()[0]).toBe("scheduleMessageEvent");
  });

  it("does nothing on a second join while joined, and shares the promise while joining", async () => {
    const harness = createHarness();
    const first = harness.scheduler.join(harness.sendMembership);
    const second = harness.scheduler.join(harness.sendMembership);
    expect(second).toBe(first);
    await harness.clock.advance(0);
    await first;
    await harness.scheduler.join(harness.sendMembership);
    await harness.clock.advance(0);
    expect(harness.server.count("scheduleStateEvent")).toBe(1);
    expect(harness.sendMembership).toHaveBeenCalledTimes(1);
  });

  it("rejects and writes nothing when delayed events are unsupported", async () => {
    const harness = createHarness();
    harness.server.script("scheduleStateEvent", errors.unsupported());
    const joining = harness.scheduler.join(harness.sendMembership);
    const outcome = joining.catch((error: unknown) => error);
    await harness.clock.advance(0);
    const error = await outcome;
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("delayed-events-unsupported");
    expect(harness.sendMembership).not.toHaveBeenCalled();
    expect(harness.scheduler.state).toBe("left");
    expect(harness.payloads("left")).toEqual([{ method: "none", cause: "failure" }]);
    expect(harness.payloads("error")[0]?.fatal).toBe(true);
  });
});

describe("heartbeat", () => {
  it("restarts exactly once per interval (6 s) for 12 intervals", async () => {
    const harness = createHarness();
    await harness.joined();
    const probes = harness.server.count("restart");
    expect(probes).toBe(1);
    await harness.clock.advance(12 * 6000);
    expect(harness.server.count("restart") - probes).toBe(12);
    const restartTimes = harness.server.calls
      .filter((call) => call.method === "restart")
      .map((call) => call.ts);
    const gaps = restartTimes.slice(1).map((ts, index) => ts - (restartTimes[index] ?? 0));
    expect(new Set(gaps)).toEqual(new Set([6000]));
    expect(harness.server.fired()).toEqual([]);
    expect(harness.payloads("delayed-leave-restarted")).toHaveLength(13);
  });

  it("follows a custom delay with 3/4 of it as the interval", async () => {
    const harness = createHarness({ delayMs: 12_000 });
    await harness.joined();
    await harness.clock.advance(9000 * 4);
    expect(harness.server.count("restart")).toBe(5);
  });

  it("relaxes to 60 s / 45 s when delegated", async () => {
    const harness = createHarness({ delegated: true });
    await harness.joined();
    expect(harness.server.calls[0]?.delayMs).toBe(60_000);
    await harness.clock.advance(90_000);
    expect(harness.server.count("restart")).toBe(3);
  });
});

describe("leave", () => {
  it("sends the delayed leave at once and forgets the delay id", async () => {
    const storage = createMemoryDelayIdStorage();
    const harness = createHarness({ storage });
    await harness.joined();
    expect(storage.entries().size).toBe(1);
    await harness.scheduler.leave();
    expect(harness.requests().slice(-1)).toEqual(["send:delay-1"]);
    expect(harness.scheduler.delayId).toBeUndefined();
    expect(harness.scheduler.state).toBe("left");
    expect(harness.payloads("left")).toEqual([{ method: "delayed-leave-sent", cause: "leave" }]);
    expect(storage.entries().size).toBe(0);
    expect(harness.clock.pendingTimers()).toBe(0);
    await harness.clock.advance(60_000);
    expect(harness.server.count("restart")).toBe(1);
  });

  it("falls back to a direct leave when send says 404, and still makes sure nothing is left", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("send", errors.notFound());
    await harness.scheduler.leave();
    expect(harness.requests().slice(-3)).toEqual([
      "send:delay-1",
      "direct-leave",
      "cancel:delay-1",
    ]);
    expect(harness.directLeaves[0]?.content).toEqual({});
    expect(harness.payloads("left")).toEqual([{ method: "direct", cause: "leave" }]);
  });

  it("falls back to a direct leave and cancels when send fails otherwise", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("send", errors.server(500));
    await harness.scheduler.leave();
    expect(harness.requests().slice(-3)).toEqual([
      "send:delay-1",
      "direct-leave",
      "cancel:delay-1",
    ]);
    expect(harness.server.liveIds()).toEqual([]);
  });

  it("treats 409 on send as finalised: direct leave (the cancel then answers 409 too)", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("send", errors.conflict());
    await harness.scheduler.leave();
    expect(harness.requests().slice(-3)).toEqual([
      "send:delay-1",
      "direct-leave",
      "cancel:delay-1",
    ]);
    expect(harness.payloads("left")).toEqual([{ method: "direct", cause: "leave" }]);
    expect(harness.payloads("error")).toEqual([]);
  });

  it("keeps the stored id for the next join when the final cancel fails", async () => {
    const storage = createMemoryDelayIdStorage();
    const harness = createHarness({ storage, maximumTransientRetries: 2 });
    await harness.joined();
    harness.server.script("send", errors.server(500));
    harness.server.script("cancel", errors.network(), errors.network(), errors.network());
    const leaving = harness.scheduler.leave();
    await harness.clock.advance(10_000);
    await leaving;
    expect(harness.server.count("cancel")).toBe(3);
    expect(harness.payloads("error").map((event) => event.error.code)).toEqual(["leave-failed"]);
    expect(storage.get(delayIdStorageKey(STATE_LEAVE))).toBe("delay-1");
    expect(harness.scheduler.delayId).toBeUndefined();
  });

  it("leaves the delayed leave to fire on its own when both fail", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("send", errors.network());
    harness.scriptMatrix(errors.matrix(502));
    await harness.scheduler.leave();
    expect(harness.payloads("left")).toEqual([{ method: "delayed-leave-pending", cause: "leave" }]);
    expect(harness.payloads("error").map((event) => event.error.code)).toEqual(["leave-failed"]);
    expect(harness.server.liveIds()).toEqual(["delay-1"]);
    await harness.clock.advance(8000);
    expect(harness.server.fired().map((entry) => entry.delayId)).toEqual(["delay-1"]);
  });

  it("does nothing when not joined", async () => {
    const harness = createHarness();
    await harness.scheduler.leave();
    expect(harness.log).toEqual([]);
    expect(harness.scheduler.state).toBe("idle");
  });

  it("uses the sticky send for the direct leave of a sticky membership", async () => {
    const harness = createHarness({
      leave: {
        kind: "sticky",
        roomId: ROOM_ID,
        eventType: "org.matrix.msc4143.rtc.member",
        content: { msc4354_sticky_key: "m1" },
        stickyDurationMs: 3_600_000,
      },
    });
    await harness.joined();
    harness.server.script("send", errors.notFound());
    await harness.scheduler.leave();
    expect(harness.matrix.sendEvent).toHaveBeenCalledWith(
      ROOM_ID,
      "org.matrix.msc4143.rtc.member",
      { msc4354_sticky_key: "m1" },
      expect.objectContaining({ stickyDurationMs: 3_600_000 }),
    );
  });

  it("cancels instead of sending when interrupted before the membership went out", async () => {
    const harness = createHarness();
    harness.server.script("scheduleStateEvent", { afterMs: 100, reply: "ok" });
    const joining = harness.scheduler.join(harness.sendMembership).catch((error: unknown) => error);
    await harness.clock.advance(10);
    const leaving = harness.scheduler.leave();
    expect(harness.scheduler.state).toBe("leaving");
    await harness.clock.advance(200);
    await leaving;
    const error = await joining;
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("superseded");
    expect(harness.sendMembership).not.toHaveBeenCalled();
    expect(harness.requests()).toEqual(["scheduleStateEvent", "cancel:delay-1"]);
    expect(harness.payloads("left")).toEqual([{ method: "cancelled", cause: "leave" }]);
  });

  it("waits for an in-flight membership write, then sends the delayed leave", async () => {
    const harness = createHarness();
    harness.scriptMembership({ afterMs: 300, reply: "ok" });
    const joining = harness.scheduler.join(harness.sendMembership).catch((error: unknown) => error);
    await harness.clock.advance(10);
    const leaving = harness.scheduler.leave();
    await harness.clock.advance(500);
    await leaving;
    await joining;
    expect(harness.requests()).toEqual(["scheduleStateEvent", "membership", "send:delay-1"]);
  });

  it("can join again after leaving", async () => {
    const harness = createHarness();
    await harness.joined();
    await harness.scheduler.leave();
    await harness.joined();
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.scheduler.delayId).toBe("delay-2");
    expect(harness.transitions.slice(-3)).toEqual([
      ["left", "arming"],
      ["arming", "joining"],
      ["joining", "joined"],
    ]);
  });
});

describe("update", () => {
  it("proves the delayed leave with a restart before re-sending", async () => {
    const harness = createHarness();
    await harness.joined();
    await harness.clock.advance(1000);
    const updating = harness.scheduler.update(harness.sendMembership);
    await harness.clock.advance(0);
    await updating;
    expect(harness.requests().slice(-3)).toEqual([
      "restart:delay-1",
      "membership",
      "restart:delay-1",
    ]);
    expect(harness.transitions).toContainEqual(["joined", "updating"]);
    expect(harness.transitions).toContainEqual(["updating", "joined"]);
  });

  it("runs concurrent updates one after the other, never racing", async () => {
    const harness = createHarness();
    await harness.joined();
    let inFlight = 0;
    let maximum = 0;
    const slow = async () => {
      inFlight += 1;
      maximum = Math.max(maximum, inFlight);
      await new Promise<void>((resolve) => harness.clock.setTimeout(resolve, 100));
      inFlight -= 1;
    };
    const all = Promise.all([
      harness.scheduler.update(slow),
      harness.scheduler.update(slow),
      harness.scheduler.update(slow),
    ]);
    await harness.clock.advance(1000);
    await all;
    expect(maximum).toBe(1);
  });

  it("rejects before join", async () => {
    const harness = createHarness();
    const error = await harness.scheduler
      .update(harness.sendMembership)
      .catch((caught: unknown) => caught);
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("invalid-state");
  });

  it("re-arms before re-sending when the restart says 404", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("restart", errors.notFound());
    const updating = harness.scheduler.update(harness.sendMembership);
    await harness.clock.advance(0);
    await updating;
    expect(harness.requests().slice(-5)).toEqual([
      "restart:delay-1",
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.payloads("rejoining")).toEqual([{ cause: "delayed-leave-lost" }]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
  });

  it("reports a failed update without leaving", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.scriptMembership(errors.matrix(403));
    const error = await (async () => {
      const updating = harness.scheduler
        .update(harness.sendMembership)
        .catch((caught: unknown) => caught);
      await harness.clock.advance(0);
      return updating;
    })();
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("request-failed");
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.payloads("error")).toHaveLength(1);
    expect(harness.payloads("error")[0]?.fatal).toBe(false);
  });
});
