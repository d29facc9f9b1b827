import { describe, expect, it } from "vitest";
import { errors } from "../test/fake-delayed-events.js";
import { createHarness, type Harness } from "../test/harness.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";

async function joinOutcome(harness: Harness, advanceMs: number): Promise<unknown> {
  const joining = harness.scheduler.join(harness.sendMembership).then(
    () => "joined",
    (error: unknown) => error,
  );
  await harness.clock.advance(advanceMs);
  return joining;
}

function times(harness: Harness, method: string): number[] {
  return harness.server.calls.filter((call) => call.method === method).map((call) => call.ts);
}

function gaps(values: number[]): number[] {
  return values.slice(1).map((value, index) => value - (values[index] ?? 0));
}

describe("rate limits and M_MAX_DELAY_EXCEEDED (the js-sdk story test)", () => {
  it("lowers 9000 → 7500 at once, waits 5 s on a bare 429, honours Retry-After on the membership, then heartbeats", async () => {
    const harness = createHarness({ delayMs: 9000 });
    harness.server.script("scheduleStateEvent", errors.tooLong(7500), errors.rateLimited());
    harness.scriptMembership(errors.matrixRateLimited(1000));
    const start = harness.clock.now();
    expect(await joinOutcome(harness, 10_000)).toBe("joined");
    const schedules = harness.server.calls.filter((call) => call.method === "scheduleStateEvent");
    expect(schedules.map((call) => [call.delayMs, call.ts - start])).toEqual([
      [9000, 0],
      [7500, 0],
      [7500, 5000],
    ]);
    expect(harness.membershipWrites.map((write) => write.ts - start)).toEqual([5000, 6000]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
    expect(harness.scheduler.delayMs).toBe(7500);
    // 7500 ms delay keeps the 3/4 ratio: a restart every 5625 ms after the probe at 6000.
    const restarts = times(harness, "restart").map((ts) => ts - start);
    expect(restarts).toEqual([6000]);
    await harness.clock.advance(5625 * 3);
    expect(gaps(times(harness, "restart"))).toEqual([5625, 5625, 5625]);
  });

  it("lowers to the 1 s floor, then gives up without a hot loop", async () => {
    const harness = createHarness();
    harness.server.otherwise((call) =>
      call.method === "scheduleStateEvent" ? errors.tooLong() : "ok",
    );
    const error = await joinOutcome(harness, 60_000);
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("delay-too-long");
    const schedules = harness.server.calls.filter((call) => call.method === "scheduleStateEvent");
    expect(schedules.map((call) => call.delayMs)).toEqual([8000, 4000, 2000, 1000]);
    expect(gaps(schedules.map((call) => call.ts)).every((gap) => gap > 0)).toBe(true);
    expect(harness.sendMembership).not.toHaveBeenCalled();
  });

  it("never goes below the floor when the server names a smaller maximum", async () => {
    const harness = createHarness();
    harness.server.script("scheduleStateEvent", errors.tooLong(300));
    expect(await joinOutcome(harness, 0)).toBe("joined");
    expect(harness.server.calls.map((call) => call.delayMs).filter(Boolean)).toEqual([8000, 1000]);
  });

  it("bounds the lowerings when the server keeps naming a maximum just below", async () => {
    const harness = createHarness({ maximumDelayLowerings: 5 });
    let next = 8000;
    harness.server.otherwise((call) => {
      if (call.method !== "scheduleStateEvent") return "ok";
      next -= 1;
      return errors.tooLong(next);
    });
    const error = await joinOutcome(harness, 60_000);
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("delay-too-long");
    expect(harness.server.count("scheduleStateEvent")).toBe(6);
  });

  it("gives up after the rate-limit budget", async () => {
    const harness = createHarness({ maximumRateLimitRetries: 3 });
    harness.server.otherwise((call) =>
      call.method === "scheduleStateEvent" ? errors.rateLimited(100) : "ok",
    );
    const error = await joinOutcome(harness, 10_000);
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("retries-exhausted");
    expect(harness.server.count("scheduleStateEvent")).toBe(4);
    expect(harness.scheduler.state).toBe("left");
  });
});

describe("5xx and network errors", () => {
  it("backs off exponentially with jitter and succeeds within the budget", async () => {
    const harness = createHarness({ random: () => 0 });
    harness.server.script(
      "scheduleStateEvent",
      errors.server(502),
      errors.network(),
      errors.server(503),
      errors.server(500),
    );
    expect(await joinOutcome(harness, 20_000)).toBe("joined");
    // base 500 ms · 2^n, jitter factor 0.5 with random() = 0
    expect(gaps(times(harness, "scheduleStateEvent"))).toEqual([250, 500, 1000, 2000]);
  });

  it("spreads retries with the injected random", async () => {
    const harness = createHarness({ random: () => 0.5 });
    harness.server.script("scheduleStateEvent", errors.server(502), errors.server(502));
    expect(await joinOutcome(harness, 20_000)).toBe("joined");
    expect(gaps(times(harness, "scheduleStateEvent"))).toEqual([375, 750]);
  });

  it("fails the join after the budget, leaving nothing behind", async () => {
    const harness = createHarness({ maximumTransientRetries: 3 });
    harness.server.otherwise((call) =>
      call.method === "scheduleStateEvent" ? errors.server(502) : "ok",
    );
    const error = await joinOutcome(harness, 60_000);
    expect(LeaveSchedulerError.isInstance(error) && error.code).toBe("retries-exhausted");
    expect(harness.server.count("scheduleStateEvent")).toBe(4);
    expect(harness.clock.pendingTimers()).toBe(0);
  });

  it("resets the budget on rejoin (js-sdk#5517)", async () => {
    const harness = createHarness({ maximumTransientRetries: 3 });
    harness.server.script(
      "scheduleStateEvent",
      errors.server(502),
      errors.server(502),
      errors.server(502),
    );
    expect(await joinOutcome(harness, 20_000)).toBe("joined");
    harness.server.script("restart", errors.notFound());
    harness.server.script(
      "scheduleStateEvent",
      errors.server(502),
      errors.server(502),
      errors.server(502),
    );
    await harness.clock.advance(6000 + 20_000);
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.server.count("scheduleStateEvent")).toBe(8);
    expect(harness.sendMembership).toHaveBeenCalledTimes(2);
  });

  it("treats a schedule that never answers as a timeout and retries", async () => {
    const harness = createHarness({ requestTimeoutMs: 3000 });
    harness.server.script("scheduleStateEvent", "hang");
    expect(await joinOutcome(harness, 10_000)).toBe("joined");
    expect(gaps(times(harness, "scheduleStateEvent"))).toEqual([3000 + 250]);
  });

  it("re-proves the delayed leave when a membership write times out past the guard", async () => {
    const harness = createHarness({ membershipTimeoutMs: 5000 });
    harness.scriptMembership("hang");
    expect(await joinOutcome(harness, 20_000)).toBe("joined");
    // 5 s timeout + 250 ms back-off leaves < 4 s before the 8 s deadline: restart before resending.
    expect(harness.requests().slice(0, 5)).toEqual([
      "scheduleStateEvent",
      "membership",
      "restart:delay-1",
      "membership",
      "restart:delay-1",
    ]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
  });
});

describe("heartbeat failures", () => {
  it("retries a failed restart within the slack and stays joined", async () => {
    const harness = createHarness({ random: () => 0 });
    await joinOutcome(harness, 0);
    harness.server.script("restart", errors.network(), errors.server(502));
    await harness.clock.advance(7000);
    const restarts = times(harness, "restart");
    expect(gaps(restarts)).toEqual([6000, 125, 250]);
    expect(harness.payloads("probably-left")).toEqual([]);
    expect(harness.scheduler.state).toBe("joined");
  });

  it("honours a short Retry-After on restart", async () => {
    const harness = createHarness();
    await joinOutcome(harness, 0);
    harness.server.script("restart", errors.rateLimited(700));
    await harness.clock.advance(7000);
    expect(gaps(times(harness, "restart"))).toEqual([6000, 700]);
    expect(harness.payloads("probably-left")).toEqual([]);
  });

  it("reports probably-left at once when Retry-After outlasts the deadline, then rejoins cleanly", async () => {
    const harness = createHarness();
    const start = harness.clock.now();
    await joinOutcome(harness, 0);
    harness.server.script("restart", errors.rateLimited(10_000));
    await harness.clock.advance(6000);
    expect(harness.payloads("probably-left")).toEqual([
      { probablyLeft: true, deadlineTs: start + 8000 },
    ]);
    expect(harness.events.find((event) => event.name === "probably-left")?.ts).toBe(start + 6000);
    expect(harness.scheduler.state).toBe("probably-left");
    await harness.clock.advance(10_000);
    // The server fired the leave at 8 s; the restart at 16 s gets 404: re-arm, then re-send.
    expect(harness.requests().slice(-5)).toEqual([
      "restart:delay-1",
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.payloads("probably-left").at(-1)?.probablyLeft).toBe(false);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
  });

  it("keeps trying after a 403 on restart, reporting it once", async () => {
    const harness = createHarness();
    await joinOutcome(harness, 0);
    harness.server.otherwise((call) => (call.method === "restart" ? errors.forbidden() : "ok"));
    await harness.clock.advance(12_000);
    expect(harness.payloads("error").map((event) => [event.error.code, event.fatal])).toEqual([
      ["request-failed", false],
    ]);
    expect(harness.server.count("restart")).toBeGreaterThan(3);
    expect(harness.scheduler.state).toBe("probably-left");
  });

  it("emits probably-left at the deadline when the server never answers (js-sdk timeline)", async () => {
    const harness = createHarness({ delayMs: 10_000, random: () => 0 });
    const start = harness.clock.now();
    await joinOutcome(harness, 0);
    harness.server.otherwise((call) => (call.method === "restart" ? "hang" : "ok"));
    await harness.clock.advance(9999);
    expect(harness.payloads("probably-left")).toEqual([]);
    await harness.clock.advance(1);
    expect(harness.payloads("probably-left")).toEqual([
      { probablyLeft: true, deadlineTs: start + 10_000 },
    ]);
    expect(harness.scheduler.state).toBe("probably-left");
    // The probe measured a ~0 ms round trip, so each restart times out after the 1000 ms floor;
    // retries back off 125, 250 ms; the last one is cut to the 125 ms left before the deadline.
    expect(times(harness, "restart").map((ts) => ts - start)).toEqual([0, 7500, 8625, 9875]);
    await harness.clock.advance(20_000);
    expect(harness.scheduler.state).toBe("probably-left");
    // Sync shows our membership gone: re-arm, then re-send; probably-left clears.
    harness.scheduler.membershipMissing();
    await harness.clock.advance(3000);
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.payloads("probably-left").at(-1)?.probablyLeft).toBe(false);
    expect(harness.payloads("rejoining")).toEqual([{ cause: "membership-missing" }]);
    expect(harness.membershipWrites.every((write) => write.backed)).toBe(true);
  });

  it("treats 409 on restart as finalised: re-arm and rejoin (js-sdk#5553)", async () => {
    const harness = createHarness();
    await joinOutcome(harness, 0);
    harness.server.script("restart", errors.conflict());
    await harness.clock.advance(6000);
    expect(harness.requests().slice(-5)).toEqual([
      "restart:delay-1",
      "scheduleStateEvent",
      "cancel:delay-1",
      "membership",
      "restart:delay-2",
    ]);
    expect(harness.scheduler.state).toBe("joined");
  });
});
