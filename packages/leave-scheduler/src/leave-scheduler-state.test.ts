import { afterAll, describe, expect, it } from "vitest";
import { errors } from "../test/fake-delayed-events.js";
import { createHarness, type Harness } from "../test/harness.js";
import {
  isAllowedTransition,
  LEAVE_SCHEDULER_TRANSITIONS,
  type LeaveSchedulerState,
} from "./leave-scheduler-state.js";

const seen = new Set<string>();

function record(harness: Harness): void {
  for (const [from, to] of harness.transitions) {
    expect(isAllowedTransition(from, to), `${from} → ${to}`).toBe(true);
    seen.add(`${from} → ${to}`);
  }
  expect(harness.payloads("error").filter((event) => event.error.code === "invalid-state")).toEqual(
    [],
  );
}

function quiet(promise: Promise<unknown>): Promise<unknown> {
  return promise.catch((error: unknown) => error);
}

/** Brings a scheduler into `target` and holds it there (a reply is pending). */
async function holdIn(harness: Harness, target: LeaveSchedulerState): Promise<void> {
  const slow = { afterMs: 1000, reply: "ok" } as const;
  if (target === "arming") {
    harness.server.script("scheduleStateEvent", slow);
    void quiet(harness.scheduler.join(harness.sendMembership));
  } else if (target === "joining") {
    harness.scriptMembership(slow);
    void quiet(harness.scheduler.join(harness.sendMembership));
  } else {
    await harness.joined();
    if (target === "updating") {
      harness.scriptMembership(slow);
      void quiet(harness.scheduler.update(harness.sendMembership));
    } else if (target === "probably-left") {
      harness.server.script("restart", errors.rateLimited(10_000));
      await harness.clock.advance(6000);
    } else if (target === "rearming") {
      harness.server.script("restart", errors.notFound());
      harness.server.script("scheduleStateEvent", slow);
      await harness.clock.advance(6000);
    } else if (target === "rejoining") {
      harness.server.script("restart", errors.notFound());
      harness.scriptMembership(slow);
      await harness.clock.advance(6000);
    }
  }
  await harness.clock.advance(10);
  expect(harness.scheduler.state).toBe(target);
}

describe("every transition of the state machine", () => {
  const holdable: LeaveSchedulerState[] = [
    "arming",
    "joining",
    "joined",
    "updating",
    "probably-left",
    "rearming",
    "rejoining",
  ];

  for (const state of holdable) {
    it(`${state} → leaving → left on leave()`, async () => {
      const harness = createHarness();
      await holdIn(harness, state);
      const leaving = harness.scheduler.leave();
      expect(harness.scheduler.state).toBe("leaving");
      await harness.clock.advance(2000);
      await leaving;
      expect(harness.scheduler.state).toBe("left");
      expect(harness.clock.pendingTimers()).toBe(0);
      record(harness);
    });

    it(`${state} → closed on close({ leave: false })`, async () => {
      const harness = createHarness();
      await holdIn(harness, state);
      const closing = harness.scheduler.close({ leave: false });
      await harness.clock.advance(2000);
      await closing;
      expect(harness.scheduler.state).toBe("closed");
      expect(harness.clock.pendingTimers()).toBe(0);
      record(harness);
    });
  }

  it("idle → closed, and left → arming / closed", async () => {
    const fresh = createHarness();
    await fresh.scheduler.close();
    record(fresh);
    const harness = createHarness();
    await harness.joined();
    await harness.scheduler.leave();
    await harness.joined();
    await harness.scheduler.leave();
    await harness.scheduler.close();
    expect(harness.transitions.slice(-1)).toEqual([["left", "closed"]]);
    record(harness);
  });

  it("updating → joined, updating → rearming → rejoining → joined", async () => {
    const harness = createHarness();
    await harness.joined();
    const first = harness.scheduler.update(harness.sendMembership);
    await harness.clock.advance(0);
    await first;
    harness.server.script("restart", errors.notFound());
    const second = harness.scheduler.update(harness.sendMembership);
    await harness.clock.advance(0);
    await second;
    expect(harness.transitions).toContainEqual(["updating", "rearming"]);
    record(harness);
  });

  it("probably-left → joined and probably-left → rearming", async () => {
    const survived = createHarness();
    await holdIn(survived, "probably-left");
    survived.server.seed("delay-1", 60_000); // the server is late: the delayed leave still exists
    await survived.clock.advance(10_000);
    expect(survived.transitions).toContainEqual(["probably-left", "joined"]);
    record(survived);
    const fired = createHarness();
    await holdIn(fired, "probably-left");
    await fired.clock.advance(10_000);
    expect(fired.transitions).toContainEqual(["probably-left", "rearming"]);
    record(fired);
  });

  it("joined → rearming on a lost delayed leave", async () => {
    const harness = createHarness();
    await holdIn(harness, "rearming");
    await harness.clock.advance(2000);
    expect(harness.scheduler.state).toBe("joined");
    record(harness);
  });

  it("rejoining → rearming when the new delayed leave is lost before the membership went out", async () => {
    const harness = createHarness();
    await harness.joined();
    harness.server.script("restart", errors.notFound());
    harness.scriptMembership("hang");
    await harness.clock.advance(6000);
    expect(harness.scheduler.state).toBe("rejoining");
    harness.server.fireNow("delay-2"); // the server fires early while our write hangs
    await harness.clock.advance(6000);
    expect(harness.transitions).toContainEqual(["rejoining", "rearming"]);
    expect(harness.scheduler.state).toBe("joined");
    expect(
      harness.membershipWrites.every((write) => write.ts < (write.successDeadlineTs ?? 0)),
    ).toBe(true);
    record(harness);
  });

  afterAll(() => {
    const all = Object.entries(LEAVE_SCHEDULER_TRANSITIONS).flatMap(([from, targets]) =>
      targets.map((to) => `${from} → ${to}`),
    );
    const missing = all.filter((transition) => !seen.has(transition));
    expect(missing).toEqual([]);
  });
});
