import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeFetch, hang, json, networkFailure, text } from "./__fixtures__/fake-fetch.js";
import syncIncremental from "./__fixtures__/sync-incremental.json";
import syncInitial from "./__fixtures__/sync-initial.json";
import unknownToken from "./__fixtures__/unknown-token.json";
import { createMatrixClient } from "./create-matrix-client.js";
import { MatrixError } from "./matrix-error.js";
import type { SyncBatch } from "./matrix-port.js";
import { MATRIXRTC_SYNC_FILTER } from "./matrixrtc-sync-filter.js";

function setup(options: { defaultTimeoutMs?: number } = {}) {
  const fake = createFakeFetch();
  let clock = 1_000;
  const client = createMatrixClient({
    baseUrl: "http://127.0.0.1:8008",
    accessToken: "token",
    fetch: fake.fetch,
    now: () => clock++,
    random: () => 0.5,
    ...options,
  });
  return { fake, client };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("sync()", () => {
  it("first batch is initial (timeout=0), then incremental with since and the long-poll", async () => {
    const { fake, client } = setup();
    fake.reply(json(syncInitial), json(syncIncremental));
    const controller = new AbortController();
    const batches: SyncBatch[] = [];
    for await (const batch of client.sync({ signal: controller.signal, timeoutMs: 20_000 })) {
      batches.push(batch);
      if (batches.length === 2) controller.abort();
    }
    expect(batches.map((batch) => [batch.initial, batch.nextBatch, batch.receivedTs])).toEqual([
      [true, "s72594_4483_1934", 1000],
      [false, "s72595_4483_1935", 1001],
    ]);
    const queries = fake.requests.map((request) => Object.fromEntries(request.url.searchParams));
    expect(queries).toEqual([{ timeout: "0" }, { since: "s72594_4483_1934", timeout: "20000" }]);
    expect(fake.requests[0]?.url.pathname).toBe("/_matrix/client/v3/sync");
    expect(fake.requests[0]?.headers.get("authorization")).toBe("Bearer token");
  });

  it("initial batch: state, timeline, limited, room_id filled in, invites without events", async () => {
    const { fake, client } = setup();
    fake.reply(json(syncInitial));
    const controller = new AbortController();
    for await (const batch of client.sync({ signal: controller.signal })) {
      controller.abort();
      const room = batch.rooms["!call:localhost"];
      expect(room?.membership).toBe("join");
      expect(room?.limited).toBe(true);
      expect(room?.state.map((event) => event.event_id)).toEqual(["$create", "$alicejoin"]);
      expect(room?.timeline[0]?.room_id).toBe("!call:localhost");
      expect(room?.timeline[0]?.unsigned?.["org.matrix.msc4140.delay_id"]).toBe("syd_abc");
      expect(batch.rooms["!invited:localhost"]).toEqual({
        membership: "invite",
        state: [],
        timeline: [],
        sticky: [],
      });
      expect(batch.toDevice).toEqual([]);
    }
  });

  it("incremental batch: sticky from both section names de-duplicated, leave rooms, to-device", async () => {
    const { fake, client } = setup();
    fake.reply(json(syncIncremental));
    const controller = new AbortController();
    const batches: SyncBatch[] = [];
    for await (const batch of client.sync({ signal: controller.signal, since: "s1" })) {
      batches.push(batch);
      controller.abort();
    }
    const batch = batches[0];
    expect(batch?.initial).toBe(false);
    const room = batch?.rooms["!call:localhost"];
    expect(room?.sticky.map((event) => event.event_id).sort()).toEqual([
      "$sticky1",
      "$sticky2",
      "$sticky3",
    ]);
    expect(room?.timeline.map((event) => event.event_id)).toEqual(["$sticky1"]);
    expect(batch?.rooms["!old:localhost"]?.membership).toBe("leave");
    expect(batch?.rooms["!old:localhost"]?.timeline[0]?.event_id).toBe("$leave");
    expect(batch?.toDevice).toEqual([
      {
        type: "io.element.call.encryption_keys",
        sender: "@bob:localhost",
        content: syncIncremental.to_device.events[0]?.content,
      },
    ]);
    expect(Object.fromEntries(fake.requests[0]?.url.searchParams ?? [])).toEqual({
      since: "s1",
      timeout: "30000",
    });
  });

  it("sends an inline filter as JSON and a filter id as is", async () => {
    const { fake, client } = setup();
    fake.reply(json(syncInitial), json(syncInitial));
    for (const filter of [MATRIXRTC_SYNC_FILTER, "42"]) {
      const controller = new AbortController();
      for await (const _batch of client.sync({ signal: controller.signal, filter })) {
        controller.abort();
      }
    }
    expect(JSON.parse(fake.requests[0]?.url.searchParams.get("filter") ?? "")).toEqual(
      MATRIXRTC_SYNC_FILTER,
    );
    expect(fake.requests[1]?.url.searchParams.get("filter")).toBe("42");
  });

  it("retries 5xx, network errors and malformed replies with growing back-off", async () => {
    vi.useFakeTimers();
    const { fake, client } = setup();
    fake.reply(
      text("<html>502</html>", 502),
      networkFailure,
      text("not json", 200),
      json({ no_next_batch: true }),
      json(syncInitial),
    );
    const controller = new AbortController();
    const iterator = client.sync({ signal: controller.signal })[Symbol.asyncIterator]();
    const next = iterator.next();
    // random 0.5 -> factor 1.0: waits 1 s, 2 s, 4 s, 8 s.
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(fake.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(fake.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(3999);
    expect(fake.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.requests).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(8000);
    const result = await next;
    expect(result.done).toBe(false);
    expect(result.value?.initial).toBe(true);
    expect(fake.requests.every((request) => !request.url.searchParams.has("since"))).toBe(true);
    controller.abort();
    await expect(iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it("the back-off resets after a success and never exceeds 30 s", async () => {
    vi.useFakeTimers();
    const { fake, client } = setup();
    for (let failure = 0; failure < 7; failure++) fake.reply(networkFailure);
    fake.reply(json(syncInitial), networkFailure, json(syncIncremental));
    const controller = new AbortController();
    const iterator = client.sync({ signal: controller.signal })[Symbol.asyncIterator]();
    const first = iterator.next();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 8000 + 16000 + 30000 - 1);
    expect(fake.requests).toHaveLength(6);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.requests).toHaveLength(7);
    await vi.advanceTimersByTimeAsync(30000);
    expect((await first).value?.nextBatch).toBe("s72594_4483_1934");
    const second = iterator.next();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await second).value?.nextBatch).toBe("s72595_4483_1935");
    controller.abort();
  });

  it("429 waits retryAfterMs", async () => {
    vi.useFakeTimers();
    const { fake, client } = setup();
    fake.reply(
      json({ errcode: "M_LIMIT_EXCEEDED" }, 429, { "Retry-After": "5" }),
      json(syncInitial),
    );
    const controller = new AbortController();
    const next = client.sync({ signal: controller.signal })[Symbol.asyncIterator]().next();
    await vi.advanceTimersByTimeAsync(4999);
    expect(fake.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await next).value?.initial).toBe(true);
    controller.abort();
  });

  it("M_UNKNOWN_TOKEN ends the iterator with the MatrixError", async () => {
    const { fake, client } = setup();
    fake.reply(json(syncInitial), json(unknownToken, 401));
    const seen: SyncBatch[] = [];
    const error = await (async () => {
      for await (const batch of client.sync()) seen.push(batch);
    })().catch((caught: unknown) => caught);
    expect(seen).toHaveLength(1);
    expect(MatrixError.isInstance(error) && error.errcode).toBe("M_UNKNOWN_TOKEN");
  });

  it("other 4xx (bad filter) end the iterator instead of looping", async () => {
    const { fake, client } = setup();
    fake.reply(json({ errcode: "M_BAD_JSON", error: "Bad filter" }, 400));
    const error = await (async () => {
      for await (const _batch of client.sync({ filter: "{" })) {
        // unreachable
      }
    })().catch((caught: unknown) => caught);
    expect(MatrixError.isInstance(error) && error.status).toBe(400);
  });

  it("abort during the long-poll returns cleanly and aborts the request", async () => {
    const { fake, client } = setup();
    fake.reply(json(syncInitial), hang);
    const controller = new AbortController();
    const batches: SyncBatch[] = [];
    const done = (async () => {
      for await (const batch of client.sync({ signal: controller.signal })) batches.push(batch);
      return "returned";
    })();
    await vi.waitFor(() => expect(fake.requests).toHaveLength(2));
    controller.abort();
    await expect(done).resolves.toBe("returned");
    expect(batches).toHaveLength(1);
    expect(fake.requests[1]?.signal?.aborted).toBe(true);
  });

  it("abort during the back-off returns cleanly", async () => {
    vi.useFakeTimers();
    const { fake, client } = setup();
    fake.reply(networkFailure);
    const controller = new AbortController();
    const next = client.sync({ signal: controller.signal })[Symbol.asyncIterator]().next();
    await vi.advanceTimersByTimeAsync(500);
    controller.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a hanging sync times out after the long-poll plus the request timeout, then retries", async () => {
    vi.useFakeTimers();
    const { fake, client } = setup({ defaultTimeoutMs: 10_000 });
    fake.reply(hang, json(syncIncremental));
    const controller = new AbortController();
    const next = client
      .sync({ signal: controller.signal, since: "s1", timeoutMs: 30_000 })
      [Symbol.asyncIterator]()
      .next();
    await vi.advanceTimersByTimeAsync(39_999);
    expect(fake.requests[0]?.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.requests[0]?.signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await next).value?.nextBatch).toBe("s72595_4483_1935");
    expect(fake.requests[1]?.url.searchParams.get("since")).toBe("s1");
    controller.abort();
  });

  it("an already aborted signal yields nothing and fetches nothing", async () => {
    const { fake, client } = setup();
    const batches: SyncBatch[] = [];
    for await (const batch of client.sync({ signal: AbortSignal.abort() })) batches.push(batch);
    expect(batches).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});
