import { createClient, type MatrixClient } from "matrix-js-sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hang } from "./__fixtures__/fake-fetch.js";
import { createFakeHomeserver, jsonResponse } from "./__fixtures__/fake-homeserver.js";
import syncIncremental from "./__fixtures__/sync-incremental.json";
import syncInitial from "./__fixtures__/sync-initial.json";
import { fromMatrixJsSdk } from "./from-matrix-js-sdk.js";
import { silentLogger } from "./from-matrix-js-sdk.test.js";
import { MatrixError } from "./matrix-error.js";
import type { SyncBatch } from "./matrix-port.js";

const clients: MatrixClient[] = [];

/** A js-sdk client whose /sync answers come from `replies` in order, then hang. */
function setup(replies: readonly (() => Response)[]) {
  const server = createFakeHomeserver();
  let syncs = 0;
  server.route((request) => {
    if (request.url.pathname !== "/_matrix/client/v3/sync") return undefined;
    const reply = replies[syncs++];
    return reply ? reply() : hang(request);
  });
  const client = createClient({
    baseUrl: "http://127.0.0.1:8008",
    accessToken: "token",
    userId: "@alice:localhost",
    deviceId: "ALICEDEV",
    fetchFn: server.fetch,
    logger: silentLogger,
  });
  clients.push(client);
  let clock = 5_000;
  const matrix = fromMatrixJsSdk(client, { now: () => clock++ });
  return { server, client, matrix, syncRequests: () => syncs };
}

async function take(iterable: AsyncIterable<SyncBatch>, count: number, signal?: AbortController) {
  const batches: SyncBatch[] = [];
  for await (const batch of iterable) {
    batches.push(batch);
    if (batches.length === count) break;
  }
  signal?.abort();
  return batches;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.stopClient();
});

describe("fromMatrixJsSdk().sync() over js-sdk's own sync loop", () => {
  it("yields a snapshot first, then the events of each later sync, without extra /sync requests", async () => {
    // Sticky events must be unexpired for js-sdk to keep them.
    const fresh = JSON.parse(
      JSON.stringify(syncIncremental).replaceAll("1764025100000", String(Date.now() - 1000)),
    ) as unknown;
    const { client, matrix, syncRequests } = setup([
      () => jsonResponse(syncInitial),
      () => jsonResponse(fresh),
    ]);
    const controller = new AbortController();
    const batchesPromise = take(matrix.sync({ signal: controller.signal }), 2, controller);
    await client.startClient({ initialSyncLimit: 20 });
    const [initial, incremental] = await batchesPromise;

    expect(initial?.initial).toBe(true);
    expect(initial?.nextBatch).toBe("s72594_4483_1934");
    const room = initial?.rooms["!call:localhost"];
    expect(room?.membership).toBe("join");
    expect(room?.state.map((event) => event.type).sort()).toEqual([
      "m.room.create",
      "m.room.member",
      "org.matrix.msc3401.call.member",
    ]);
    expect(room?.state.every((event) => event.room_id === "!call:localhost")).toBe(true);
    expect(room?.timeline.map((event) => event.event_id)).toContain("$member");

    expect(incremental?.initial).toBe(false);
    expect(incremental?.nextBatch).toBe("s72595_4483_1935");
    const update = incremental?.rooms["!call:localhost"];
    const ids = [...(update?.timeline ?? []), ...(update?.sticky ?? [])].map(
      (event) => event.event_id,
    );
    expect(ids).toContain("$sticky1");
    expect(ids).toContain("$sticky2");
    expect(incremental?.rooms["!old:localhost"]?.membership).toBe("leave");
    expect(incremental?.toDevice).toEqual([
      {
        type: "io.element.call.encryption_keys",
        sender: "@bob:localhost",
        content: syncIncremental.to_device.events[0]?.content,
      },
    ]);
    expect(incremental?.receivedTs).toBeGreaterThan(initial?.receivedTs ?? Infinity);
    // js-sdk's own loop made every /sync request: 2 answered + 1 long-poll in flight.
    expect(syncRequests()).toBeLessThanOrEqual(3);
  });

  it("a sync() started after the client synced snapshots at once", async () => {
    const { client, matrix } = setup([() => jsonResponse(syncInitial)]);
    const prepared = new Promise<void>((resolve) => {
      client.on(
        "sync" as never,
        ((state: string) => {
          if (state === "PREPARED") resolve();
        }) as never,
      );
    });
    await client.startClient();
    await prepared;
    const [batch] = await take(matrix.sync(), 1);
    expect(batch?.initial).toBe(true);
    expect(Object.keys(batch?.rooms ?? {}).sort()).toEqual([
      "!call:localhost",
      "!invited:localhost",
    ]);
    expect(batch?.rooms["!invited:localhost"]?.membership).toBe("invite");
  });

  it("abort ends the iterator cleanly and removes its listeners", async () => {
    const { client, matrix } = setup([() => jsonResponse(syncInitial)]);
    await client.startClient();
    await vi.waitFor(() => expect(client.isInitialSyncComplete()).toBe(true));
    const names = ["sync", "event", "Event.decrypted", "receivedToDeviceMessage"] as never[];
    const before = names.map((name) => client.listenerCount(name));
    const controller = new AbortController();
    const done = (async () => {
      const seen: SyncBatch[] = [];
      for await (const batch of matrix.sync({ signal: controller.signal })) {
        seen.push(batch);
        controller.abort();
      }
      return seen.length;
    })();
    await expect(done).resolves.toBe(1);
    expect(names.map((name) => client.listenerCount(name))).toEqual(before);
  });

  it("stopClient ends the iterator", async () => {
    const { client, matrix } = setup([() => jsonResponse(syncInitial)]);
    const done = (async () => {
      let count = 0;
      for await (const _batch of matrix.sync()) {
        count++;
        client.stopClient();
      }
      return count;
    })();
    await client.startClient();
    await expect(done).resolves.toBe(1);
  });

  it("M_UNKNOWN_TOKEN ends the iterator with a MatrixError", async () => {
    const { client, matrix } = setup([
      () => jsonResponse(syncInitial),
      () => jsonResponse({ errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token" }, 401),
    ]);
    const outcome = (async () => {
      for await (const _batch of matrix.sync()) {
        // keep going until the token fails
      }
    })().catch((error: unknown) => error);
    await client.startClient();
    const error = await outcome;
    expect(MatrixError.isInstance(error) && error.errcode).toBe("M_UNKNOWN_TOKEN");
  });
});
