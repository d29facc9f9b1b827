import { describe, expect, it } from "vitest";
import { errors } from "../test/fake-delayed-events.js";
import { createHarness } from "../test/harness.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";

describe("delayed leave lost (404 on restart)", () => {
  it("re-arms first, then re-sends the membership (rejoin)", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("restart", errors.notFound());
    await harness.clock.advance(6000);
    expect(harness.requests()).toEqual([
      "scheduleStateEvent",
      "membership",
      "restart:delay-1",
      "restart:delay-1",
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.transitions.slice(-3)).toEqual([
      ["joined", "rearming"],
      ["rearming", "rejoining"],
      ["rejoining", "joined"],
    ]);
    expect(harness.payloads("rejoining")).toEqual([{ cause: "delayed-leave-lost" }]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
  });

  it("leaves for good when the rejoin policy says never", async () => {
    const harness = createHarness({ rejoin: "never" });
    await harness.joined();
    harness.server.script("restart", errors.notFound());
    await harness.clock.advance(6000);
    expect(harness.scheduler.state).toBe("left");
    expect(harness.payloads("left")).toEqual([{ method: "none", cause: "delayed-leave-lost" }]);
    expect(harness.sendMembership).toHaveBeenCalledTimes(1);
    expect(harness.clock.pendingTimers()).toBe(0);
  });

  it("leaves (sending nothing more) when the rejoin fails", async () => {
    const harness = createHarness({ maximumTransientRetries: 1 });
    await harness.joined();
    harness.server.script("restart", errors.notFound());
    harness.server.otherwise((call) =>
      call.method === "scheduleStateEvent" ? errors.server(502) : "ok",
    );
    await harness.clock.advance(10_000);
    expect(harness.scheduler.state).toBe("left");
    expect(harness.payloads("error").map((event) => [event.error.code, event.fatal])).toEqual([
      ["retries-exhausted", true],
    ]);
    expect(harness.payloads("left")).toEqual([{ method: "none", cause: "failure" }]);
    expect(harness.sendMembership).toHaveBeenCalledTimes(1);
  });
});

describe("a 404 that was wrong", () => {
  it("cancels the old delayed leave after re-arming, so it cannot knock out the new membership", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("restart", errors.lyingNotFound());
    await harness.clock.advance(6000);
    expect(harness.requests().slice(-5)).toEqual([
      "restart:delay-1",
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.server.liveIds()).toEqual(["delay-2"]);
  });

  it("sends the old one on leave when the rejoin policy says never", async () => {
    const harness = createHarness({ rejoin: "never" });
    await harness.joined();
    harness.server.script("restart", errors.lyingNotFound());
    await harness.clock.advance(6000);
    expect(harness.requests().slice(-2)).toEqual(["restart:delay-1", "send:delay-1"]);
    expect(harness.server.liveIds()).toEqual([]);
    expect(harness.scheduler.state).toBe("left");
  });
});

describe("membershipMissing", () => {
  it("arms a new delayed leave, cancels the old one, then re-sends", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.scheduler.membershipMissing();
    await harness.clock.advance(0);
    expect(harness.requests().slice(3)).toEqual([
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.server.liveIds()).toEqual(["delay-2"]);
    expect(harness.payloads("rejoining")).toEqual([{ cause: "membership-missing" }]);
    expect(harness.scheduler.state).toBe("joined");
  });

  it("is ignored while a join is in flight (false positive guard)", async () => {
    const harness = createHarness();
    harness.scriptMembership({ afterMs: 500, reply: "ok" });
    const joining = harness.scheduler.join(harness.sendMembership);
    await harness.clock.advance(100);
    harness.scheduler.membershipMissing();
    await harness.clock.advance(1000);
    await joining;
    expect(harness.server.count("scheduleStateEvent")).toBe(1);
    expect(harness.payloads("rejoining")).toEqual([]);
  });

  it("is ignored while an update is in flight", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.scriptMembership({ afterMs: 500, reply: "ok" });
    const updating = harness.scheduler.update(harness.sendMembership);
    await harness.clock.advance(100);
    harness.scheduler.membershipMissing();
    await harness.clock.advance(1000);
    await updating;
    expect(harness.server.count("scheduleStateEvent")).toBe(1);
  });

  it("is ignored when not joined", async () => {
    const harness = createHarness();
    harness.scheduler.membershipMissing();
    await harness.clock.advance(1000);
    expect(harness.log).toEqual([]);
  });

  it("with rejoin never: cancels the remaining delayed leave and reports left", async () => {
    const harness = createHarness({ rejoin: "never" });
    await harness.joined();
    harness.scheduler.membershipMissing();
    await harness.clock.advance(0);
    expect(harness.requests().slice(-1)).toEqual(["cancel:delay-1"]);
    expect(harness.payloads("left")).toEqual([
      { method: "cancelled", cause: "membership-missing" },
    ]);
  });
});

describe("sleep/wake (js-sdk#5522)", () => {
  it("proves or re-arms the delayed leave before any membership re-send after a clock jump", async () => {
    const harness = createHarness();
    await harness.joined();
    await harness.clock.advance(3000);
    const beforeSleep = harness.log.length;
    // The laptop sleeps 60 s; the server fires our leave at 8 s. On wake, the session's own
    // refresh runs first and asks for an update before any of our timers fired.
    harness.clock.skip(60_000);
    const updating = harness.scheduler.update(harness.sendMembership);
    await harness.clock.advance(0);
    await updating;
    const afterWake = harness.log.slice(beforeSleep).filter((entry) => !entry.startsWith("state:"));
    expect(afterWake.slice(0, 5)).toEqual([
      "restart:delay-1",
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
    expect(harness.server.fired().map((entry) => entry.delayId)).toEqual(["delay-1"]);
    expect(harness.scheduler.state).toBe("joined");
  });

  it("reports probably-left before sending anything when the heartbeat timer fires after the deadline", async () => {
    const harness = createHarness();
    await harness.joined();
    const beforeSleep = harness.log.length;
    await harness.clock.jump(60_000);
    const afterWake = harness.log.slice(beforeSleep);
    expect(afterWake.slice(0, 2)).toEqual(["state:probably-left", "restart:delay-1"]);
    expect(afterWake.filter((entry) => !entry.startsWith("state:"))).toEqual([
      "restart:delay-1",
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.transitions).toContainEqual(["probably-left", "rearming"]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
  });

  it("returns to joined when the delayed leave survived the sleep", async () => {
    const harness = createHarness();
    await harness.joined();
    // Only the client slept (e.g. a stalled event loop) and the server is late: restart succeeds.
    harness.server.script("restart", { afterMs: 0, reply: "ok" });
    harness.clock.skip(8500);
    harness.server.seed("delay-1", 60_000);
    await harness.clock.advance(0);
    expect(harness.transitions.slice(-2)).toEqual([
      ["joined", "probably-left"],
      ["probably-left", "joined"],
    ]);
    expect(harness.payloads("probably-left").map((payload) => payload.probablyLeft)).toEqual([
      true,
      false,
    ]);
    expect(harness.server.count("scheduleStateEvent")).toBe(1);
  });
});

describe("leave port", () => {
  it("sends the leave at once on a focus disconnect, once", async () => {
    const harness = createHarness();
    await harness.joined();
    expect(harness.scheduler.leavePort.specificationVersion).toBe("v1");
    harness.scheduler.leavePort.reportDisconnect({ reason: "media-connection-lost" });
    harness.scheduler.leavePort.reportDisconnect({ reason: "media-connection-lost" });
    await harness.clock.advance(0);
    expect(harness.server.count("send")).toBe(1);
    expect(harness.payloads("left")).toEqual([
      { method: "delayed-leave-sent", cause: "disconnect" },
    ]);
    harness.scheduler.leavePort.reportDisconnect({ reason: "kicked" });
    await harness.clock.advance(0);
    expect(harness.server.count("send")).toBe(1);
  });

  it("is ignored after close and before join, and tolerates bad input", async () => {
    const harness = createHarness();
    harness.scheduler.leavePort.reportDisconnect({ reason: "unknown" });
    await harness.joined();
    await harness.scheduler.close({ leave: false });
    harness.scheduler.leavePort.reportDisconnect({ reason: "kicked" });
    expect(() => harness.scheduler.leavePort.reportDisconnect(undefined as never)).not.toThrow();
    await harness.clock.advance(10_000);
    expect(harness.requests()).toEqual(["scheduleStateEvent", "membership", "restart:delay-1"]);
  });

  it("hands over to the rejoin policy: re-arm, cancel the old leave, re-send", async () => {
    const policyCalls: unknown[] = [];
    const harness = createHarness({
      rejoin: (context) => {
        policyCalls.push(context);
        return true;
      },
    });
    await harness.joined();
    harness.scheduler.leavePort.reportDisconnect({
      reason: "reconnect-failed",
      message: "ICE failed",
    });
    harness.scheduler.leavePort.reportDisconnect({ reason: "reconnect-failed" });
    await harness.clock.advance(0);
    expect(policyCalls).toEqual([{ cause: "disconnect", reason: "reconnect-failed" }]);
    expect(harness.payloads("rejoining")).toEqual([
      { cause: "disconnect", reason: "reconnect-failed" },
    ]);
    expect(harness.requests().slice(3)).toEqual([
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    // After a completed rejoin the port accepts the next terminal loss.
    harness.scheduler.leavePort.reportDisconnect({ reason: "server-left" });
    await harness.clock.advance(0);
    expect(harness.payloads("rejoining")).toHaveLength(2);
  });
});

describe("close", () => {
  it("leaves, stops every timer and ignores everything afterwards", async () => {
    const harness = createHarness();
    await harness.joined();
    await harness.scheduler.close();
    expect(harness.requests().slice(-1)).toEqual(["send:delay-1"]);
    expect(harness.scheduler.state).toBe("closed");
    expect(harness.clock.pendingTimers()).toBe(0);
    const eventsBefore = harness.events.length;
    const joinError = await harness.scheduler
      .join(harness.sendMembership)
      .catch((error: unknown) => error);
    expect(LeaveSchedulerError.isInstance(joinError) && joinError.code).toBe("closed");
    const updateError = await harness.scheduler
      .update(harness.sendMembership)
      .catch((error: unknown) => error);
    expect(LeaveSchedulerError.isInstance(updateError) && updateError.code).toBe("closed");
    harness.scheduler.membershipMissing();
    await harness.scheduler.leave();
    await harness.clock.advance(60_000);
    expect(harness.events.length).toBe(eventsBefore);
    expect(harness.server.count("restart")).toBe(1);
  });

  it("with leave: false sends nothing and lets the delayed leave fire on its own", async () => {
    const harness = createHarness();
    await harness.joined();
    const requests = harness.requests().length;
    await harness.scheduler.close({ leave: false });
    expect(harness.requests().length).toBe(requests);
    expect(harness.clock.pendingTimers()).toBe(0);
    await harness.clock.advance(8000);
    expect(harness.server.fired().map((entry) => entry.delayId)).toEqual(["delay-1"]);
  });

  it("interrupts a join that is waiting out a rate limit, without timers left behind", async () => {
    const harness = createHarness();
    harness.server.script("scheduleStateEvent", errors.rateLimited(30_000));
    const joining = harness.scheduler.join(harness.sendMembership).catch((error: unknown) => error);
    await harness.clock.advance(100);
    await harness.scheduler.close();
    const error = await joining;
    expect(LeaveSchedulerError.isInstance(error)).toBe(true);
    expect(harness.clock.pendingTimers()).toBe(0);
    expect(harness.server.count("scheduleStateEvent")).toBe(1);
  });

  it("is idempotent", async () => {
    const harness = createHarness();
    const first = harness.scheduler.close();
    expect(harness.scheduler.close()).toBe(first);
    await first;
    expect(harness.transitions).toEqual([["idle", "closed"]]);
  });
});
