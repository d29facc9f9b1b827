import { afterEach, describe, expect, it, vi } from "vitest";
import { errors } from "../test/fake-delayed-events.js";
import { createHarness } from "../test/harness.js";
import { systemClock } from "./clock.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("systemClock", () => {
  it("reads the globals at call time, so fake timers installed later take effect", () => {
    vi.useFakeTimers({ now: 5_000 });
    expect(systemClock.now()).toBe(5_000);
    let fired = false;
    systemClock.setTimeout(() => {
      fired = true;
    }, 1000);
    vi.advanceTimersByTime(999);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
    const handle = systemClock.setTimeout(() => {
      fired = false;
    }, 10);
    systemClock.clearTimeout(handle);
    vi.advanceTimersByTime(100);
    expect(fired).toBe(true);
  });

  it("drives a scheduler with the default clock under vitest fake timers", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const harness = createHarness({ clock: systemClock });
    const joining = harness.scheduler.join(harness.sendMembership);
    await vi.advanceTimersByTimeAsync(0);
    await joining;
    harness.server.script("restart", errors.network());
    await vi.advanceTimersByTimeAsync(6000 * 3);
    // Successful restarts (deadline − delay = when each was sent): the probe, the retry 125 ms
    // after the failed one at 6 s, then one interval later.
    const sent = harness
      .payloads("delayed-leave-restarted")
      .map((payload) => payload.deadlineTs - 8000 - 1_000_000);
    expect(sent).toEqual([0, 6125, 12_125]);
    await harness.scheduler.close({ leave: false });
    expect(vi.getTimerCount()).toBe(0);
  });
});
