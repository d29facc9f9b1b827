import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryAfterMs } from "./retry-after.js";

const now = Date.UTC(2026, 10, 24, 23, 0, 0);

describe("retryAfterMs", () => {
  it("reads delay-seconds", () => {
    expect(retryAfterMs("120", undefined, now)).toBe(120_000);
    expect(retryAfterMs(" 0 ", undefined, now)).toBe(0);
  });

  it("reads an HTTP-date relative to now, never negative", () => {
    expect(retryAfterMs(new Date(now + 3000).toUTCString(), undefined, now)).toBe(3000);
    expect(retryAfterMs(new Date(now - 3000).toUTCString(), undefined, now)).toBe(0);
  });

  it("prefers the header over retry_after_ms, falls back to the body", () => {
    expect(retryAfterMs("2", { retry_after_ms: 9000 }, now)).toBe(2000);
    expect(retryAfterMs(null, { retry_after_ms: 9000 }, now)).toBe(9000);
    expect(retryAfterMs("soon", { retry_after_ms: 9000 }, now)).toBe(9000);
  });

  it("is undefined without usable input", () => {
    expect(retryAfterMs(undefined, undefined, now)).toBeUndefined();
    expect(retryAfterMs("", { retry_after_ms: "5" }, now)).toBeUndefined();
    expect(retryAfterMs("-1", { retry_after_ms: -5 }, now)).toBeUndefined();
    expect(retryAfterMs(null, "<html>", now)).toBeUndefined();
  });

  it("never throws and never returns a negative or non-finite number", () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.anything(), (header, body) => {
        const result = retryAfterMs(header, body, now);
        return result === undefined || (Number.isFinite(result) && result >= 0);
      }),
    );
  });
});
