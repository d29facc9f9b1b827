import { describe, expect, it } from "vitest";
import { type CannedReply, createFakeHomeserver } from "./__fixtures__/fake-homeserver.js";
import { connectionError, matrixError, responseError } from "./__fixtures__/fake-matrix-port.js";
import { createDelayedEventTransport } from "./create-delayed-event-transport.js";
import {
  DelayedEventConflictError,
  DelayedEventNetworkError,
  DelayedEventNotFoundError,
  DelayedEventRateLimitedError,
  DelayedEventResponseError,
  DelayedEventServerError,
  DelayedEventsUnsupportedError,
  DelayTooLongError,
  TooManyDelayedEventsError,
} from "./delayed-event-error.js";
import { mapDelayedEventError } from "./map-delayed-event-error.js";

const SYNAPSE_CAPABILITIES = {
  "org.matrix.msc4140.delayed_events": { max_delay_ms: 86_400_000, max_scheduled: 3 },
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Schedule through a real client whose server answers `reply` to the scheduling PUT. */
async function scheduleAgainst(reply: CannedReply, delayMs = 90_000_000, listing?: unknown) {
  const { matrix, seen } = createFakeHomeserver(
    (request) => {
      if (request.method === "PUT") return reply;
      if (request.url.pathname.endsWith("/delayed_events") && listing !== undefined) {
        return { status: 200, body: listing };
      }
      return undefined;
    },
    { capabilities: SYNAPSE_CAPABILITIES },
  );
  const transport = createDelayedEventTransport({ matrix });
  const error = await rejection(
    transport.scheduleStateEvent({
      roomId: "!r:hs",
      eventType: "m.t",
      stateKey: "",
      content: {},
      delayMs,
    }),
  );
  return { error, seen };
}

describe("scheduling errors (exact bodies from the MSC revisions and Synapse)", () => {
  it("stable 400 M_MAX_DELAY_EXCEEDED with max_delay → DelayTooLongError(max from body)", async () => {
    const { error } = await scheduleAgainst({
      status: 400,
      body: { errcode: "M_MAX_DELAY_EXCEEDED", error: "delay too long", max_delay: 86_400_000 },
    });
    expect(DelayTooLongError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      maxDelayMs: 86_400_000,
      status: 400,
      errcode: "M_MAX_DELAY_EXCEEDED",
    });
  });

  it("Synapse 1.163: 400 ORG.MATRIX.MSC4140_DELAY_TOO_LARGE → DelayTooLongError (max from capabilities)", async () => {
    const { error } = await scheduleAgainst({
      status: 400,
      body: {
        errcode: "ORG.MATRIX.MSC4140_DELAY_TOO_LARGE",
        error: "The requested delay (90000000ms) exceeds the allowed maximum (86400000ms)",
      },
    });
    expect(DelayTooLongError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      maxDelayMs: 86_400_000,
      status: 400,
      errcode: "ORG.MATRIX.MSC4140_DELAY_TOO_LARGE",
    });
  });

  it("Synapse's DELAY_TOO_LARGE without capabilities: the maximum is read from its message", () => {
    const error = mapDelayedEventError(
      matrixError(400, {
        errcode: "ORG.MATRIX.MSC4140_DELAY_TOO_LARGE",
        error: "The requested delay (90000000ms) exceeds the allowed maximum (7500ms)",
      }),
      { operation: "schedule" },
    );
    expect((error as DelayTooLongError).maxDelayMs).toBe(7500);
  });

  it("Synapse's 429 'maximum number of delayed events' → TooManyDelayedEventsError without listing", async () => {
    const { error, seen } = await scheduleAgainst(
      {
        status: 429,
        body: {
          errcode: "M_LIMIT_EXCEEDED",
          error: "The maximum number of delayed events has been reached.",
          retry_after_ms: 3_599_000,
        },
        headers: { "Retry-After": "3599" },
      },
      1000,
    );
    expect(TooManyDelayedEventsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryAfterMs: 3_599_000, maxScheduled: 3 });
    expect(seen.map((request) => request.method)).toEqual(["PUT"]);
  });

  it("unstable M_UNKNOWN + org.matrix.msc4140.errcode/max_delay → DelayTooLongError", async () => {
    const { error } = await scheduleAgainst({
      status: 400,
      body: {
        errcode: "M_UNKNOWN",
        error: "The requested delay exceeds the allowed maximum.",
        "org.matrix.msc4140.errcode": "M_MAX_DELAY_EXCEEDED",
        "org.matrix.msc4140.max_delay": 7500,
      },
    });
    expect(DelayTooLongError.isInstance(error)).toBe(true);
    expect((error as DelayTooLongError).maxDelayMs).toBe(7500);
    expect((error as DelayTooLongError).errcode).toBe("M_MAX_DELAY_EXCEEDED");
  });

  it("2026-03 spelling ORG.MATRIX.MSC4140_MAX_DELAY_EXCEEDED → DelayTooLongError", async () => {
    const { error } = await scheduleAgainst({
      status: 400,
      body: {
        errcode: "M_UNKNOWN",
        "org.matrix.msc4140.errcode": "ORG.MATRIX.MSC4140_MAX_DELAY_EXCEEDED",
        "org.matrix.msc4140.max_delay": 86_400_000,
      },
    });
    expect(DelayTooLongError.isInstance(error)).toBe(true);
    expect((error as DelayTooLongError).maxDelayMs).toBe(86_400_000);
  });

  it("403 M_FORBIDDEN with a delay above the capability max → DelayTooLongError(max from capabilities)", async () => {
    const { error } = await scheduleAgainst({
      status: 403,
      body: { errcode: "M_FORBIDDEN", error: "The requested delay exceeds the allowed maximum." },
    });
    expect(DelayTooLongError.isInstance(error)).toBe(true);
    expect((error as DelayTooLongError).maxDelayMs).toBe(86_400_000);
  });

  it("403 M_FORBIDDEN with an allowed delay → server error (a permissions problem)", async () => {
    const { error } = await scheduleAgainst(
      { status: 403, body: { errcode: "M_FORBIDDEN", error: "You don't have permission" } },
      1000,
    );
    expect(DelayTooLongError.isInstance(error)).toBe(false);
    expect(DelayedEventServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, errcode: "M_FORBIDDEN" });
  });

  it("400 M_MAX_DELAYED_EVENTS_EXCEEDED (stable and nested) → TooManyDelayedEventsError", async () => {
    for (const body of [
      { errcode: "M_MAX_DELAYED_EVENTS_EXCEEDED", error: "too many" },
      { errcode: "M_UNKNOWN", "org.matrix.msc4140.errcode": "M_MAX_DELAYED_EVENTS_EXCEEDED" },
    ]) {
      const { error } = await scheduleAgainst({ status: 400, body }, 1000);
      expect(TooManyDelayedEventsError.isInstance(error)).toBe(true);
      expect((error as TooManyDelayedEventsError).maxScheduled).toBe(3);
    }
  });

  it("429 while the user's scheduled count is at max_scheduled → TooManyDelayedEventsError", async () => {
    const entry = (id: string) => ({
      delay_id: id,
      room_id: "!r:hs",
      type: "m.t",
      state_key: "",
      delay: 1000,
      running_since: 1,
      content: {},
    });
    const { error, seen } = await scheduleAgainst(
      {
        status: 429,
        body: { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests" },
        headers: { "Retry-After": "3" },
      },
      1000,
      { delayed_events: [entry("a"), entry("b"), entry("c")] },
    );
    expect(TooManyDelayedEventsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryAfterMs: 3000, maxScheduled: 3 });
    expect(seen.map((request) => request.method)).toEqual(["PUT", "GET"]);
  });

  it("429 below max_scheduled → DelayedEventRateLimitedError with retryAfterMs", async () => {
    const { error } = await scheduleAgainst(
      {
        status: 429,
        body: { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 1500 },
      },
      1000,
      { delayed_events: [] },
    );
    expect(DelayedEventRateLimitedError.isInstance(error)).toBe(true);
    expect((error as DelayedEventRateLimitedError).retryAfterMs).toBe(1500);
  });

  it("429 when the count cannot be listed → rate limited (best effort)", async () => {
    const { error } = await scheduleAgainst(
      { status: 429, body: { errcode: "M_LIMIT_EXCEEDED" } },
      1000,
      { not: "a listing" },
    );
    expect(DelayedEventRateLimitedError.isInstance(error)).toBe(true);
  });

  it("unstable M_MAX_DELAY_UNSUPPORTED → DelayedEventsUnsupportedError", async () => {
    const { error } = await scheduleAgainst({
      status: 400,
      body: { errcode: "M_UNKNOWN", "org.matrix.msc4140.errcode": "M_MAX_DELAY_UNSUPPORTED" },
    });
    expect(DelayedEventsUnsupportedError.isInstance(error)).toBe(true);
  });

  it("5xx → DelayedEventServerError keeping status, errcode and body", async () => {
    const { error } = await scheduleAgainst(
      { status: 502, body: { errcode: "M_UNKNOWN", error: "upstream" } },
      1000,
    );
    expect(DelayedEventServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      status: 502,
      errcode: "M_UNKNOWN",
      body: { errcode: "M_UNKNOWN", error: "upstream" },
    });
  });

  it("a 200 that is not JSON → DelayedEventResponseError", async () => {
    const { error } = await scheduleAgainst({ status: 200, body: "<html>proxy</html>" }, 1000);
    expect(DelayedEventResponseError.isInstance(error)).toBe(true);
  });
});

describe("management errors", () => {
  async function manageAgainst(
    reply: CannedReply,
    action: "restart" | "cancel" | "send" = "restart",
  ) {
    const { matrix, seen } = createFakeHomeserver(() => reply);
    const transport = createDelayedEventTransport({ matrix });
    return { error: await rejection(transport[action]("syd_x")), seen };
  }

  it("404 M_NOT_FOUND → DelayedEventNotFoundError, without trying other forms", async () => {
    const { error, seen } = await manageAgainst({
      status: 404,
      body: { errcode: "M_NOT_FOUND", error: "Delayed event not found" },
    });
    expect(DelayedEventNotFoundError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 404, errcode: "M_NOT_FOUND" });
    expect(seen).toHaveLength(1);
  });

  it("409 M_UNKNOWN → DelayedEventConflictError", async () => {
    const { error } = await manageAgainst(
      { status: 409, body: { errcode: "M_UNKNOWN", error: "already cancelled" } },
      "send",
    );
    expect(DelayedEventConflictError.isInstance(error)).toBe(true);
    expect((error as DelayedEventConflictError).status).toBe(409);
  });

  it("429 M_LIMIT_EXCEEDED with Retry-After → rate limited (never 'too many' outside scheduling)", async () => {
    const { error } = await manageAgainst({
      status: 429,
      body: { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests" },
      headers: { "Retry-After": "2" },
    });
    expect(DelayedEventRateLimitedError.isInstance(error)).toBe(true);
    expect((error as DelayedEventRateLimitedError).retryAfterMs).toBe(2000);
  });

  it("500 → server error", async () => {
    const { error } = await manageAgainst({ status: 500, body: "Internal Server Error" });
    expect(DelayedEventServerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 500, body: "Internal Server Error" });
  });
});

describe("mapDelayedEventError directly", () => {
  it("connection errors become network errors keeping the cause and reason", () => {
    const cause = connectionError("timeout");
    const error = mapDelayedEventError(cause, { operation: "manage" });
    expect(DelayedEventNetworkError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: "timeout", cause });
  });

  it("response errors become DelayedEventResponseError keeping the text", () => {
    const error = mapDelayedEventError(responseError("<html>"), { operation: "list" });
    expect(DelayedEventResponseError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 200, body: "<html>" });
  });

  it("an AbortError passes through unchanged; other unknown throws become server errors", () => {
    const abort = new DOMException("stop", "AbortError");
    expect(mapDelayedEventError(abort, { operation: "manage" })).toBe(abort);
    const weird = mapDelayedEventError(new TypeError("boom"), { operation: "manage" });
    expect(DelayedEventServerError.isInstance(weird)).toBe(true);
    expect(weird).toMatchObject({ status: 0 });
  });

  it("429 without errcode is rate limiting; M_LIMIT_EXCEEDED with another status too", () => {
    expect(
      DelayedEventRateLimitedError.isInstance(
        mapDelayedEventError(matrixError(429, "slow down"), { operation: "list" }),
      ),
    ).toBe(true);
    expect(
      DelayedEventRateLimitedError.isInstance(
        mapDelayedEventError(matrixError(400, { errcode: "M_LIMIT_EXCEEDED" }), {
          operation: "list",
        }),
      ),
    ).toBe(true);
  });

  it("M_MAX_DELAY_EXCEEDED without a max in the body uses the known capability max", () => {
    const error = mapDelayedEventError(matrixError(400, { errcode: "M_MAX_DELAY_EXCEEDED" }), {
      operation: "schedule",
      maxDelayMs: 60_000,
    });
    expect((error as DelayTooLongError).maxDelayMs).toBe(60_000);
  });

  it("ignores a non-numeric max_delay", () => {
    const error = mapDelayedEventError(
      matrixError(400, { errcode: "M_MAX_DELAY_EXCEEDED", max_delay: "lots" }),
      { operation: "schedule" },
    );
    expect(DelayTooLongError.isInstance(error)).toBe(true);
    expect((error as DelayTooLongError).maxDelayMs).toBeUndefined();
  });

  it("Synapse's 403 'Sending delayed events has been disallowed' on scheduling → unsupported", () => {
    const error = mapDelayedEventError(
      matrixError(403, {
        errcode: "M_FORBIDDEN",
        error: "Sending delayed events has been disallowed",
      }),
      { operation: "schedule", delayMs: 1000 },
    );
    expect(DelayedEventsUnsupportedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 403, errcode: "M_FORBIDDEN" });
  });

  it("404 outside management is a server error, not 'not found'", () => {
    const error = mapDelayedEventError(matrixError(404, { errcode: "M_NOT_FOUND" }), {
      operation: "list",
    });
    expect(DelayedEventNotFoundError.isInstance(error)).toBe(false);
    expect(DelayedEventServerError.isInstance(error)).toBe(true);
  });
});
