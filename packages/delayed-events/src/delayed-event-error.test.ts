import { describe, expect, it } from "vitest";
import {
  DelayedEventConflictError,
  DelayedEventError,
  DelayedEventInputError,
  DelayedEventNetworkError,
  DelayedEventNotFoundError,
  DelayedEventRateLimitedError,
  DelayedEventResponseError,
  DelayedEventServerError,
  DelayedEventsUnsupportedError,
  DelayTooLongError,
  TooManyDelayedEventsError,
} from "./delayed-event-error.js";

describe("DelayedEventError classes", () => {
  const all = [
    new DelayedEventNotFoundError("x"),
    new DelayedEventConflictError("x"),
    new DelayTooLongError("x", { maxDelayMs: 5 }),
    new TooManyDelayedEventsError("x", { retryAfterMs: 7, maxScheduled: 3 }),
    new DelayedEventRateLimitedError("x", { retryAfterMs: 9 }),
    new DelayedEventsUnsupportedError("x", { eventId: "$e" }),
    new DelayedEventNetworkError("x", { reason: "timeout" }),
    new DelayedEventServerError("x", { status: 500, errcode: "M_UNKNOWN", body: { a: 1 } }),
    new DelayedEventResponseError("x", { status: 200, body: "oops" }),
    new DelayedEventInputError("x"),
  ];
  const checks = [
    DelayedEventNotFoundError.isInstance,
    DelayedEventConflictError.isInstance,
    DelayTooLongError.isInstance,
    TooManyDelayedEventsError.isInstance,
    DelayedEventRateLimitedError.isInstance,
    DelayedEventsUnsupportedError.isInstance,
    DelayedEventNetworkError.isInstance,
    DelayedEventServerError.isInstance,
    DelayedEventResponseError.isInstance,
    DelayedEventInputError.isInstance,
  ];

  it("each isInstance accepts its own class and rejects the others (response is a server error)", () => {
    for (const [row, error] of all.entries()) {
      expect(DelayedEventError.isInstance(error)).toBe(true);
      for (const [column, check] of checks.entries()) {
        const expected = row === column || (row === 8 && column === 7);
        expect(check(error), `${error.name} vs check ${column}`).toBe(expected);
      }
    }
  });

  it("recognises errors from another copy of the package by marker, not prototype", () => {
    const foreign = {
      [Symbol.for("@mxrtc/delayed-events/DelayedEventError")]: true,
      code: "not-found",
      message: "from another copy",
    };
    expect(DelayedEventError.isInstance(foreign)).toBe(true);
    expect(DelayedEventNotFoundError.isInstance(foreign)).toBe(true);
    expect(DelayTooLongError.isInstance(foreign)).toBe(false);
    expect(DelayedEventError.isInstance(new Error("plain"))).toBe(false);
    expect(DelayedEventError.isInstance(null)).toBe(false);
    expect(DelayedEventError.isInstance("not-found")).toBe(false);
  });

  it("keeps the data a caller needs", () => {
    const cause = new Error("underlying");
    const error = new DelayedEventServerError("refused", {
      status: 502,
      errcode: "M_UNKNOWN",
      body: { error: "bad gateway" },
      cause,
    });
    expect(error).toMatchObject({ code: "server", status: 502, errcode: "M_UNKNOWN", cause });
    expect(error.body).toEqual({ error: "bad gateway" });
    expect(new DelayTooLongError("x", { maxDelayMs: 5 }).maxDelayMs).toBe(5);
    expect(new TooManyDelayedEventsError("x", { retryAfterMs: 7 }).retryAfterMs).toBe(7);
    expect(new DelayedEventRateLimitedError("x", { retryAfterMs: 9 }).retryAfterMs).toBe(9);
    expect(new DelayedEventNetworkError("x").reason).toBe("network");
    expect(new DelayedEventsUnsupportedError("x", { eventId: "$e" }).eventId).toBe("$e");
    expect(new DelayedEventResponseError("x", { status: 200 }).code).toBe("response");
    expect(new DelayedEventNotFoundError("x").name).toBe("DelayedEventNotFoundError");
  });
});
