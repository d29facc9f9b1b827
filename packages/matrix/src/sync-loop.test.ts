import { describe, expect, it } from "vitest";
import { MatrixConnectionError, MatrixError, MatrixResponseError } from "./matrix-error.js";
import { backoffDelayMs, syncRetryDelayMs } from "./sync-loop.js";

describe("backoffDelayMs", () => {
  it("doubles from 1 s and caps at 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((attempt) => backoffDelayMs(attempt, 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it("jitters by ±20 % within [1 s, 30 s]", () => {
    expect(backoffDelayMs(2, 0)).toBe(3200);
    expect(backoffDelayMs(2, 0.999999)).toBe(4800);
    expect(backoffDelayMs(0, 0)).toBe(1000);
    expect(backoffDelayMs(5, 0.999999)).toBe(30000);
  });
});

describe("syncRetryDelayMs", () => {
  const server = (status: number, errcode?: string, retryAfterMs?: number) =>
    new MatrixError({
      status,
      body: {},
      ...(errcode ? { errcode } : {}),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });

  it("retries connection errors, malformed replies, 5xx and 408", () => {
    expect(syncRetryDelayMs(new MatrixConnectionError("network", "x"), 1, 0.5)).toBe(2000);
    expect(syncRetryDelayMs(new MatrixResponseError(200, "", "x"), 0, 0.5)).toBe(1000);
    expect(syncRetryDelayMs(server(503), 0, 0.5)).toBe(1000);
    expect(syncRetryDelayMs(server(408), 0, 0.5)).toBe(1000);
  });

  it("429 uses retryAfterMs, else the back-off", () => {
    expect(syncRetryDelayMs(server(429, "M_LIMIT_EXCEEDED", 7000), 3, 0.5)).toBe(7000);
    expect(syncRetryDelayMs(server(429), 3, 0.5)).toBe(8000);
  });

  it("gives up on auth errors, other 4xx and foreign errors", () => {
    expect(syncRetryDelayMs(server(401, "M_UNKNOWN_TOKEN"), 0, 0.5)).toBeUndefined();
    expect(syncRetryDelayMs(server(403, "M_UNKNOWN_TOKEN"), 0, 0.5)).toBeUndefined();
    expect(syncRetryDelayMs(server(400, "M_BAD_JSON"), 0, 0.5)).toBeUndefined();
    expect(syncRetryDelayMs(new TypeError("bug"), 0, 0.5)).toBeUndefined();
  });
});
