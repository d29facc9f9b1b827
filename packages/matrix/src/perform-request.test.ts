import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeFetch, hang, json, networkFailure, text } from "./__fixtures__/fake-fetch.js";
import {
  MatrixConnectionError,
  MatrixError,
  MatrixPortError,
  MatrixResponseError,
} from "./matrix-error.js";
import { type HttpContext, performRequest } from "./perform-request.js";
import { parseAny, parseWhoami } from "./response-shapes.js";

const now = Date.UTC(2026, 10, 24, 23, 0, 0);

function setup(defaultTimeoutMs = 30_000) {
  const fake = createFakeFetch();
  const context: HttpContext = {
    baseUrl: "http://127.0.0.1:8008",
    accessToken: "token",
    fetch: fake.fetch,
    defaultTimeoutMs,
    now: () => now,
  };
  const get = (options: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
    performRequest(context, { method: "GET", path: "/_matrix/client/v3/x", ...options }, parseAny);
  return { fake, context, get };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe("performRequest error mapping", () => {
  it("429 M_LIMIT_EXCEEDED with Retry-After in seconds", async () => {
    const { fake, get } = setup();
    fake.reply(
      json({ errcode: "M_LIMIT_EXCEEDED", error: "Too Many Requests", retry_after_ms: 999 }, 429, {
        "Retry-After": "7",
      }),
    );
    const error = await failure(get());
    expect(MatrixError.isInstance(error)).toBe(true);
    if (!MatrixError.isInstance(error)) return;
    expect(error.status).toBe(429);
    expect(error.errcode).toBe("M_LIMIT_EXCEEDED");
    expect(error.retryAfterMs).toBe(7000);
    expect(error.body).toEqual({
      errcode: "M_LIMIT_EXCEEDED",
      error: "Too Many Requests",
      retry_after_ms: 999,
    });
    expect(error.message).toContain("Too Many Requests");
    expect(error.message).toContain("GET /_matrix/client/v3/x");
    expect(error.message).not.toContain("token");
  });

  it("429 with Retry-After as an HTTP-date counts from the injected clock", async () => {
    const { fake, get } = setup();
    fake.reply(
      json({ errcode: "M_LIMIT_EXCEEDED" }, 429, {
        "Retry-After": new Date(now + 12_000).toUTCString(),
      }),
    );
    const error = await failure(get());
    expect(MatrixError.isInstance(error) && error.retryAfterMs).toBe(12_000);
  });

  it("429 with only retry_after_ms in the body", async () => {
    const { fake, get } = setup();
    fake.reply(json({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 2500 }, 429));
    const error = await failure(get());
    expect(MatrixError.isInstance(error) && error.retryAfterMs).toBe(2500);
  });

  it("404 M_NOT_FOUND", async () => {
    const { fake, get } = setup();
    fake.reply(json({ errcode: "M_NOT_FOUND", error: "Event not found" }, 404));
    const error = await failure(get());
    expect(MatrixError.isInstance(error)).toBe(true);
    if (!MatrixError.isInstance(error)) return;
    expect(error.status).toBe(404);
    expect(error.errcode).toBe("M_NOT_FOUND");
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.method).toBe("GET");
    expect(error.path).toBe("/_matrix/client/v3/x");
  });

  it("500 with an HTML body keeps the text and has no errcode", async () => {
    const { fake, get } = setup();
    const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    fake.reply(text(html, 500, { "Content-Type": "text/html" }));
    const error = await failure(get());
    expect(MatrixError.isInstance(error)).toBe(true);
    if (!MatrixError.isInstance(error)) return;
    expect(error.status).toBe(500);
    expect(error.errcode).toBeUndefined();
    expect(error.body).toBe(html);
    expect(MatrixResponseError.isInstance(error)).toBe(false);
  });

  it("200 with malformed JSON is a MatrixResponseError with the text", async () => {
    const { fake, get } = setup();
    fake.reply(text('{"user_id": "@a:b"', 200));
    const error = await failure(get());
    expect(MatrixResponseError.isInstance(error)).toBe(true);
    if (!MatrixResponseError.isInstance(error)) return;
    expect(error.status).toBe(200);
    expect(error.body).toBe('{"user_id": "@a:b"');
    expect(MatrixError.isInstance(error)).toBe(false);
  });

  it("200 with JSON of the wrong shape is a MatrixResponseError", async () => {
    const { fake, context } = setup();
    fake.reply(json({ user: "@a:b" }));
    const error = await failure(
      performRequest(context, { method: "GET", path: "/whoami" }, parseWhoami),
    );
    expect(MatrixResponseError.isInstance(error)).toBe(true);
  });

  it("a hang becomes MatrixConnectionError timeout and aborts the fetch", async () => {
    vi.useFakeTimers();
    const { fake, get } = setup(5000);
    fake.reply(hang);
    const outcome = failure(get());
    await vi.advanceTimersByTimeAsync(4999);
    expect(fake.requests[0]?.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(MatrixConnectionError.isInstance(error)).toBe(true);
    expect(MatrixConnectionError.isInstance(error) && error.reason).toBe("timeout");
    expect(fake.requests[0]?.signal?.aborted).toBe(true);
  });

  it("the per-request timeoutMs overrides the default; 0 disables it", async () => {
    vi.useFakeTimers();
    const { fake, get } = setup(5000);
    fake.reply(hang, json({ ok: true }));
    const outcome = failure(get({ timeoutMs: 100 }));
    await vi.advanceTimersByTimeAsync(100);
    expect(MatrixConnectionError.isInstance(await outcome)).toBe(true);
    const { fake: slowFake, context } = setup(0);
    let release: (() => void) | undefined;
    slowFake.reply(
      () =>
        new Promise<Response>((resolve) => {
          release = () => resolve(new Response("{}"));
        }),
    );
    const slow = performRequest(context, { method: "GET", path: "/x" }, parseAny);
    await vi.advanceTimersByTimeAsync(3_600_000);
    release?.();
    await expect(slow).resolves.toEqual({});
    expect(fake.requests).toHaveLength(1);
  });

  it("fetch rejecting is a MatrixConnectionError network with the cause", async () => {
    const { fake, get } = setup();
    fake.reply(networkFailure);
    const error = await failure(get());
    expect(MatrixConnectionError.isInstance(error)).toBe(true);
    if (!MatrixConnectionError.isInstance(error)) return;
    expect(error.reason).toBe("network");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("a body that fails while streaming is a MatrixConnectionError network", async () => {
    const { fake, get } = setup();
    fake.reply(
      () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.error(new Error("socket hang up"));
            },
          }),
        ),
    );
    const error = await failure(get());
    expect(MatrixConnectionError.isInstance(error) && error.reason).toBe("network");
  });

  it("the caller's abort rejects with the signal's reason (AbortError)", async () => {
    const { fake, get } = setup();
    fake.reply(hang);
    const controller = new AbortController();
    const outcome = failure(get({ signal: controller.signal }));
    await Promise.resolve();
    controller.abort();
    const error = await outcome;
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
    expect(MatrixConnectionError.isInstance(error)).toBe(false);
    expect(fake.requests[0]?.signal?.aborted).toBe(true);
  });

  it("an already aborted signal never calls fetch", async () => {
    const { fake, get } = setup();
    const reason = new Error("stop");
    const error = await failure(get({ signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });

  it("leaves no unhandled rejection when a fetch fails after the timeout", async () => {
    vi.useFakeTimers();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const { fake, get } = setup(10);
      let failLate: ((error: Error) => void) | undefined;
      fake.reply(
        () =>
          new Promise<Response>((_resolve, reject) => {
            failLate = reject;
          }),
      );
      const outcome = failure(get());
      await vi.advanceTimersByTimeAsync(10);
      expect(MatrixConnectionError.isInstance(await outcome)).toBe(true);
      failLate?.(new Error("late failure"));
      vi.useRealTimers();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("performRequest on arbitrary replies", () => {
  it("always settles with a result or one of the package's errors", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 200, max: 599 }),
        fc.oneof(fc.string(), fc.json()),
        fc.option(fc.string({ maxLength: 40 })),
        async (status, body, retryAfter) => {
          const { fake, get } = setup();
          const headers: Record<string, string> =
            retryAfter === null ? {} : { "Retry-After": retryAfter.replace(/[\r\n]/g, "") };
          fake.reply(() => new Response(status === 204 ? null : body, { status, headers }));
          const outcome = await get().then(
            () => "ok",
            (error: unknown) => (MatrixPortError.isInstance(error) ? "typed" : error),
          );
          if (outcome !== "ok" && outcome !== "typed") throw outcome;
          if (status >= 300) expect(outcome).toBe("typed");
        },
      ),
      { numRuns: 200 },
    );
  });
});
