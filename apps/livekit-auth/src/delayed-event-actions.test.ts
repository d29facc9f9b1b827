import { describe, expect, it } from "vitest";
import { createDelayedEventActions } from "./delayed-event-actions.js";

function scripted(replies: (Response | Error)[]) {
  const calls: { url: string; method: string | undefined; body: unknown; auth: string | null }[] =
    [];
  const fetchImpl: typeof fetch = async (input, init) => {
    calls.push({
      url: String(input),
      method: init?.method,
      body: init?.body,
      auth: new Headers(init?.headers).get("authorization"),
    });
    const reply = replies.shift() ?? new Response("{}");
    if (reply instanceof Error) throw reply;
    return reply;
  };
  const waits: number[] = [];
  const clock = {
    now: () => 0,
    setTimeout: (callback: () => void, ms: number) => {
      waits.push(ms);
      callback();
      return 0;
    },
    clearTimeout: () => {},
  };
  return { actions: createDelayedEventActions({ fetch: fetchImpl, clock }), calls, waits };
}

describe("createDelayedEventActions", () => {
  it("POSTs {} unauthenticated to the unstable MSC4140 path", async () => {
    const { actions, calls } = scripted([]);
    expect(await actions.restart("https://hs.example", "syd_a/b")).toEqual({ kind: "ok" });
    expect(await actions.send("https://hs.example", "syd_c")).toEqual({ kind: "ok" });
    expect(calls).toEqual([
      {
        url: "https://hs.example/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_a%2Fb/restart",
        method: "POST",
        body: "{}",
        auth: null,
      },
      {
        url: "https://hs.example/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_c/send",
        method: "POST",
        body: "{}",
        auth: null,
      },
    ]);
  });

  it("reports 404 as not-found", async () => {
    const { actions } = scripted([Response.json({ errcode: "M_NOT_FOUND" }, { status: 404 })]);
    expect(await actions.send("https://hs", "x")).toEqual({ kind: "not-found" });
  });

  it("honours Retry-After, then retry_after_ms, on 429", async () => {
    const { actions, waits, calls } = scripted([
      new Response("{}", { status: 429, headers: { "retry-after": "2" } }),
      Response.json({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 1234 }, { status: 429 }),
    ]);
    expect(await actions.restart("https://hs", "x")).toEqual({ kind: "ok" });
    expect(waits).toEqual([2000, 1234]);
    expect(calls).toHaveLength(3);
  });

  it("retries 5xx and network errors with backoff, then gives up", async () => {
    const { actions, waits } = scripted([
      new Response("", { status: 502 }),
      new TypeError("fetch failed"),
      new Response("", { status: 503 }),
      new Response("", { status: 500 }),
      new Response("", { status: 500 }),
      new Response("oops", { status: 500 }),
    ]);
    expect(await actions.send("https://hs", "x")).toEqual({
      kind: "failed",
      status: 500,
      message: "oops",
    });
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000]);
  });

  it("does not retry other 4xx", async () => {
    const { actions, calls } = scripted([
      Response.json({ errcode: "M_FORBIDDEN" }, { status: 403 }),
    ]);
    expect(await actions.send("https://hs", "x")).toMatchObject({ kind: "failed", status: 403 });
    expect(calls).toHaveLength(1);
  });
});
