import { describe, expect, it } from "vitest";
import { errors } from "../test/fake-delayed-events.js";
import { createHarness, ROOM_ID, STATE_LEAVE } from "../test/harness.js";
import { createLeaveScheduler } from "./leave-scheduler.js";
import { defaultRejoinPolicy } from "./rejoin-policy.js";

describe("delegation hook", () => {
  it("hands over every new delay id with its delay", async () => {
    const delegations: unknown[] = [];
    const harness = createHarness({ onDelegation: (delegation) => delegations.push(delegation) });
    await harness.joined();
    harness.server.script("restart", errors.notFound());
    await harness.clock.advance(6000);
    expect(delegations).toEqual([
      { delayId: "delay-1", delayMs: 8000, roomId: ROOM_ID },
      { delayId: "delay-2", delayMs: 8000, roomId: ROOM_ID },
    ]);
  });

  it("turns a throwing hook into a non-fatal error event", async () => {
    const harness = createHarness({
      onDelegation: () => {
        throw new Error("service down");
      },
    });
    await harness.joined();
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.payloads("error").map((event) => [event.error.code, event.fatal])).toEqual([
      ["delegation-hook-failed", false],
    ]);
  });
});

describe("options", () => {
  it("rejects bad timing and bad leave targets with typed errors", () => {
    const base = createHarness();
    const make = (extra: object) => () =>
      createLeaveScheduler({
        delayedEvents: base.server.transport,
        matrix: base.matrix,
        leave: STATE_LEAVE,
        ...extra,
      });
    for (const extra of [
      { delayMs: 0 },
      { delayMs: 500 },
      { restartIntervalMs: 9000 },
      { delayMs: 1.5 },
      { leave: { kind: "x" } },
      { leave: { ...STATE_LEAVE, roomId: "" } },
    ]) {
      expect(make(extra)).toThrow(expect.objectContaining({ code: "invalid-options" }));
    }
  });

  it("default rejoin policy rejoins on loss but not on a focus disconnect", () => {
    expect(defaultRejoinPolicy({ cause: "delayed-leave-lost" })).toBe(true);
    expect(defaultRejoinPolicy({ cause: "membership-missing" })).toBe(true);
    expect(defaultRejoinPolicy({ cause: "disconnect", reason: "kicked" })).toBe(false);
  });
});
