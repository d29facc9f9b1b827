import { createClient, type ICreateClientOpts, type MatrixClient } from "matrix-js-sdk";
import { afterEach, describe, expect, it } from "vitest";
import { hang, networkFailure } from "./__fixtures__/fake-fetch.js";
import { createFakeHomeserver, jsonResponse } from "./__fixtures__/fake-homeserver.js";
import openIdReply from "./__fixtures__/openid.json";
import roomStateReply from "./__fixtures__/room-state.json";
import whoamiReply from "./__fixtures__/whoami.json";
import { fromMatrixJsSdk } from "./from-matrix-js-sdk.js";
import { MatrixConnectionError, MatrixError } from "./matrix-error.js";

const baseUrl = "http://127.0.0.1:8008";
const roomId = "!call:localhost";
const clients: MatrixClient[] = [];

const silent = () => undefined;
/** Keeps js-sdk quiet in test output. */
export const silentLogger: NonNullable<ICreateClientOpts["logger"]> = {
  trace: silent,
  debug: silent,
  info: silent,
  warn: silent,
  error: silent,
  getChild: () => silentLogger,
};

function setup() {
  const server = createFakeHomeserver();
  const client = createClient({
    baseUrl,
    accessToken: "js-sdk-token",
    userId: "@alice:localhost",
    deviceId: "ALICEDEV",
    fetchFn: server.fetch,
    logger: silentLogger,
  });
  clients.push(client);
  return { server, client, matrix: fromMatrixJsSdk(client, { now: () => 1_000 }) };
}

afterEach(() => {
  for (const client of clients.splice(0)) client.stopClient();
});

function requestsTo(server: ReturnType<typeof setup>["server"], fragment: string) {
  return server.requests.filter((request) => request.url.pathname.includes(fragment));
}

describe("fromMatrixJsSdk over a real matrix-js-sdk client", () => {
  it("request / whoami go through client.http with the full path and the token", async () => {
    const { server, matrix } = setup();
    server.route((request) =>
      request.url.pathname === "/_matrix/client/v3/account/whoami"
        ? jsonResponse(whoamiReply)
        : undefined,
    );
    await expect(matrix.whoami()).resolves.toEqual({
      userId: "@alice:localhost",
      deviceId: "ALICEDEV",
    });
    const [request] = requestsTo(server, "/whoami");
    expect(request?.method).toBe("GET");
    expect(request?.url.href).toBe(`${baseUrl}/_matrix/client/v3/account/whoami`);
    expect(request?.headers.get("authorization")).toBe("Bearer js-sdk-token");
    expect(matrix.baseUrl).toBe(baseUrl);
  });

  it("request passes query and body; auth: false sends no token", async () => {
    const { server, matrix } = setup();
    server.route((request) =>
      request.url.pathname.startsWith("/custom") ? jsonResponse({ ok: 1 }) : undefined,
    );
    await matrix.request({
      method: "POST",
      path: "/custom/a",
      query: { x: 1, y: undefined },
      body: { b: 2 },
    });
    await matrix.request({ method: "GET", path: "/custom/b", auth: false });
    const [first, second] = requestsTo(server, "/custom");
    expect(first?.url.search).toBe("?x=1");
    expect(first?.body).toEqual({ b: 2 });
    expect(first?.headers.get("authorization")).toBe("Bearer js-sdk-token");
    expect(second?.headers.get("authorization")).toBeNull();
  });

  it("sendStateEvent: PUT with encoded path and the delay query, returns delayId", async () => {
    const { server, matrix } = setup();
    server.route((request) =>
      request.url.pathname.includes("/state/") ? jsonResponse({ delay_id: "syd_9" }) : undefined,
    );
    await expect(
      matrix.sendStateEvent(
        roomId,
        "org.matrix.msc3401.call.member",
        "_@alice:localhost_ALICEDEV_m.call",
        {},
        { delayMs: 8000 },
      ),
    ).resolves.toEqual({ delayId: "syd_9" });
    const [request] = requestsTo(server, "/state/");
    expect(request?.method).toBe("PUT");
    expect(request?.url.pathname).toBe(
      "/_matrix/client/v3/rooms/!call%3Alocalhost/state/org.matrix.msc3401.call.member/_%40alice%3Alocalhost_ALICEDEV_m.call",
    );
    expect(request?.url.searchParams.get("org.matrix.msc4140.delay")).toBe("8000");
  });

  it("getRoomState drops malformed events", async () => {
    const { server, matrix } = setup();
    server.route((request) =>
      request.url.pathname.endsWith("/state") ? jsonResponse(roomStateReply) : undefined,
    );
    const state = await matrix.getRoomState(roomId);
    expect(state.map((event) => event.event_id)).toEqual(["$create", "$member"]);
  });

  it("sendEvent uses js-sdk's senders: plain, sticky, delayed, sticky + delayed", async () => {
    const { server, matrix } = setup();
    server.route((request) => {
      if (!request.url.pathname.includes("/send/")) return undefined;
      return request.url.searchParams.has("org.matrix.msc4140.delay")
        ? jsonResponse({ delay_id: "syd_1" })
        : jsonResponse({ event_id: "$e" });
    });
    const type = "org.matrix.msc4143.rtc.member";
    await expect(matrix.sendEvent(roomId, type, { a: 1 }, { txnId: "t1" })).resolves.toEqual({
      eventId: "$e",
    });
    await expect(
      matrix.sendEvent(roomId, type, { a: 2 }, { stickyDurationMs: 3_600_000, txnId: "t2" }),
    ).resolves.toEqual({ eventId: "$e" });
    await expect(
      matrix.sendEvent(roomId, type, { a: 3 }, { delayMs: 5000, txnId: "t3" }),
    ).resolves.toEqual({ delayId: "syd_1" });
    await expect(
      matrix.sendEvent(
        roomId,
        type,
        { a: 4 },
        { delayMs: 5000, stickyDurationMs: 1000, txnId: "t4" },
      ),
    ).resolves.toEqual({ delayId: "syd_1" });
    const sends = requestsTo(server, "/send/");
    expect(sends.map((request) => request.url.pathname.split("/").pop())).toEqual([
      "t1",
      "t2",
      "t3",
      "t4",
    ]);
    expect(sends.map((request) => Object.fromEntries(request.url.searchParams))).toEqual([
      {},
      { "org.matrix.msc4354.sticky_duration_ms": "3600000" },
      { "org.matrix.msc4140.delay": "5000" },
      { "org.matrix.msc4140.delay": "5000", "org.matrix.msc4354.sticky_duration_ms": "1000" },
    ]);
    expect(sends.map((request) => request.body)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]);
  });

  it("js-sdk's 'unsupported delayed events' becomes MatrixError M_UNRECOGNIZED", async () => {
    const { server, matrix } = setup();
    server.route((request) =>
      request.url.pathname === "/_matrix/client/versions"
        ? jsonResponse({ versions: ["v1.11"], unstable_features: {} })
        : undefined,
    );
    const error = await matrix
      .sendEvent(roomId, "m.x", {}, { delayMs: 1000 })
      .catch((caught: unknown) => caught);
    expect(MatrixError.isInstance(error)).toBe(true);
    expect(MatrixError.isInstance(error) && error.errcode).toBe("M_UNRECOGNIZED");
    expect(requestsTo(server, "/send/")).toHaveLength(0);
  });

  it("maps js-sdk MatrixError with Retry-After, 404 and HTML 5xx", async () => {
    const { server, matrix } = setup();
    server.route((request) => {
      const path = request.url.pathname;
      if (path === "/limited")
        return jsonResponse({ errcode: "M_LIMIT_EXCEEDED", error: "slow down" }, 429, {
          "Retry-After": "3",
        });
      if (path === "/missing") return jsonResponse({ errcode: "M_NOT_FOUND", error: "nope" }, 404);
      if (path === "/broken")
        return new Response("<html>oops</html>", {
          status: 502,
          headers: { "Content-Type": "text/html" },
        });
      return undefined;
    });
    const limited = await matrix
      .request({ method: "GET", path: "/limited" })
      .catch((e: unknown) => e);
    expect(
      MatrixError.isInstance(limited) && [limited.status, limited.errcode, limited.retryAfterMs],
    ).toEqual([429, "M_LIMIT_EXCEEDED", 3000]);
    const missing = await matrix
      .request({ method: "GET", path: "/missing" })
      .catch((e: unknown) => e);
    expect(MatrixError.isInstance(missing) && [missing.status, missing.errcode]).toEqual([
      404,
      "M_NOT_FOUND",
    ]);
    expect(MatrixError.isInstance(missing) && missing.body).toEqual({
      errcode: "M_NOT_FOUND",
      error: "nope",
    });
    const broken = await matrix
      .request({ method: "GET", path: "/broken" })
      .catch((e: unknown) => e);
    expect(MatrixError.isInstance(broken) && [broken.status, broken.errcode]).toEqual([
      502,
      undefined,
    ]);
  });

  it("maps a network failure, a timeout and the caller's abort", async () => {
    const { server, matrix } = setup();
    server.route((request) => {
      if (request.url.pathname === "/down") return networkFailure(request);
      if (request.url.pathname === "/hang") return hang(request);
      return undefined;
    });
    const down = await matrix.request({ method: "GET", path: "/down" }).catch((e: unknown) => e);
    expect(MatrixConnectionError.isInstance(down) && down.reason).toBe("network");
    const late = await matrix
      .request({ method: "GET", path: "/hang", timeoutMs: 20 })
      .catch((e: unknown) => e);
    expect(MatrixConnectionError.isInstance(late) && late.reason).toBe("timeout");
    const controller = new AbortController();
    const aborted = matrix
      .request({ method: "GET", path: "/hang", signal: controller.signal })
      .catch((e: unknown) => e);
    controller.abort();
    const error = await aborted;
    expect((error as Error).name).toBe("AbortError");
    const hung = requestsTo(server, "/hang");
    expect(hung.every((request) => request.signal?.aborted)).toBe(true);
  });

  it("requestOpenIdToken and sendToDevice use js-sdk's methods", async () => {
    const { server, matrix } = setup();
    server.route((request) => {
      if (request.url.pathname.includes("/openid/request_token")) return jsonResponse(openIdReply);
      if (request.url.pathname.includes("/sendToDevice/")) return jsonResponse({});
      return undefined;
    });
    await expect(matrix.requestOpenIdToken()).resolves.toEqual(openIdReply);
    expect(requestsTo(server, "/openid/")[0]?.url.pathname).toBe(
      "/_matrix/client/v3/user/%40alice%3Alocalhost/openid/request_token",
    );
    await matrix.sendToDevice(
      "m.test",
      { "@bob:localhost": { BOBDEV: { n: 1 } } },
      { txnId: "td1" },
    );
    const [toDevice] = requestsTo(server, "/sendToDevice/");
    expect(toDevice?.url.pathname).toBe("/_matrix/client/v3/sendToDevice/m.test/td1");
    expect(toDevice?.body).toEqual({ messages: { "@bob:localhost": { BOBDEV: { n: 1 } } } });
  });
});
