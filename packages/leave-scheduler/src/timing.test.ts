import { describe, expect, it } from "vitest";
import {
  backoffMs,
  DEFAULT_LEAVE_TIMING,
  DELEGATED_LEAVE_TIMING,
  resolveLeaveTiming,
  restartIntervalForDelay,
  restartTimeoutFor,
} from "./timing.js";

describe("resolveLeaveTiming", () => {
  it("defaults to 8 s / 6 s / 2 s: 10 restarts a minute", () => {
    expect(resolveLeaveTiming({})).toEqual({
      delayMs: 8000,
      restartIntervalMs: 6000,
      restartTimeoutMs: 2000,
    });
    expect(60_000 / DEFAULT_LEAVE_TIMING.restartIntervalMs).toBe(10);
  });

  it("relaxes to 60 s / 45 s / 5 s when delegated", () => {
    expect(resolveLeaveTiming({ delegated: true })).toEqual(DELEGATED_LEAVE_TIMING);
  });

  it("derives the interval from a custom delay, keeping 3/4", () => {
    expect(resolveLeaveTiming({ delayMs: 10_000 }).restartIntervalMs).toBe(7500);
    expect(resolveLeaveTiming({ delayMs: 10_000, restartIntervalMs: 6000 }).restartIntervalMs).toBe(
      6000,
    );
  });

  it("rejects nonsense", () => {
    for (const options of [
      { delayMs: -1 },
      { delayMs: 999 },
      { delayMs: Number.NaN },
      { restartTimeoutMs: 0 },
      { delayMs: 8000, restartIntervalMs: 8000 },
    ]) {
      expect(() => resolveLeaveTiming(options)).toThrow(
        expect.objectContaining({ code: "invalid-options" }),
      );
    }
  });
});

describe("restartIntervalForDelay", () => {
  it("scales with a lowered delay and never grows", () => {
    expect(restartIntervalForDelay(DEFAULT_LEAVE_TIMING, 7500)).toBe(5625);
    expect(restartIntervalForDelay(DEFAULT_LEAVE_TIMING, 1000)).toBe(750);
    expect(restartIntervalForDelay(DEFAULT_LEAVE_TIMING, 20_000)).toBe(6000);
  });
});

describe("restartTimeoutFor", () => {
  it("uses the maximum until a round trip is measured", () => {
    expect(restartTimeoutFor({ maximumMs: 2000, roundTripMs: undefined, remainingMs: 8000 })).toBe(
      2000,
    );
  });
  it("adapts to 4 × RTT + 250 ms within [1000, maximum]", () => {
    // The floor outlasts Synapse's 0.5 s hold on every 429, so a rate-limited heartbeat gets its
    // Retry-After instead of timing out just before it.
    expect(restartTimeoutFor({ maximumMs: 2000, roundTripMs: 10, remainingMs: 8000 })).toBe(1000);
    expect(restartTimeoutFor({ maximumMs: 2000, roundTripMs: 200, remainingMs: 8000 })).toBe(1050);
    expect(restartTimeoutFor({ maximumMs: 2000, roundTripMs: 900, remainingMs: 8000 })).toBe(2000);
  });
  it("is cut to the time left before the deadline, and restored after it", () => {
    expect(restartTimeoutFor({ maximumMs: 2000, roundTripMs: undefined, remainingMs: 300 })).toBe(
      300,
    );
    expect(restartTimeoutFor({ maximumMs: 2000, roundTripMs: undefined, remainingMs: -5 })).toBe(
      2000,
    );
  });
});

describe("backoffMs", () => {
  it("doubles up to the cap with a jitter factor in [0.5, 1)", () => {
    const options = { baseMs: 500, capMs: 8000 };
    expect([0, 1, 2, 3, 4, 5].map((attempt) => backoffMs(attempt, () => 0, options))).toEqual([
      250, 500, 1000, 2000, 4000, 4000,
    ]);
    expect(backoffMs(0, () => 0.999_999, options)).toBe(500);
    expect(backoffMs(100, () => 1.5, options)).toBeLessThanOrEqual(8000);
  });
});
