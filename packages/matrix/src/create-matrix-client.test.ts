import { describe, expect, it } from "vitest";
import capabilitiesReply from "./__fixtures__/capabilities.json";
import { createFakeFetch, json } from "./__fixtures__/fake-fetch.js";
import openIdReply from "./__fixtures__/openid.json";
import roomStateReply from "./__fixtures__/room-state.json";
import versionsReply from "./__fixtures__/versions.json";
import whoamiReply from "./__fixtures__/whoami.json";
import { createMatrixClient } from "./create-matrix-client.js";
import { MatrixResponseError } from "./matrix-error.js";

const baseUrl = "http://127.0.0.1:8008";
const roomId = "!call:localhost";

function setup(options: { userId?: string } = {}) {
  const fake = createFakeFetch();
  const client = createMatrixClient({
    baseUrl: `${baseUrl}/`,
    accessToken: "secret-token",
    fetch: fake.fetch,
    ...options,
  });
  return { fake, client };
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

describe("createMatrixClient request shapes", () => {
  it("strips the trailing slash of the base URL", () => {
    expect(setup().client.baseUrl).toBe(baseUrl);
  });

  it("whoami: GET /account/whoami with the bearer token, and remembers the user", async () => {
    const { fake, client } = setup();
    fake.reply(json(whoamiReply));
    expect(client.userId).toBeUndefined();
    await expect(client.whoami()).resolves.toEqual({
      userId: "@alice:localhost",
      deviceId: "ALICEDEV",
    });
    const request = only(fake.requests);
    expect(request.method).toBe("GET");
    expect(request.url.href).toBe(`${baseUrl}/_matrix/client/v3/account/whoami`);
    expect(request.headers.get("authorization")).toBe("Bearer secret-token");
    expect(request.headers.get("content-type")).toBeNull();
    expect(request.body).toBeUndefined();
    expect(client.userId).toBe("@alice:localhost");
    expect(client.deviceId).toBe("ALICEDEV");
  });

  it("versions: GET /versions, keeps only boolean unstable features", async () => {
    const { fake, client } = setup();
    fake.reply(json({ ...versionsReply, unstable_features: { a: true, b: "yes" } }));
    const versions = await client.versions();
    expect(versions.unstableFeatures).toEqual({ a: true });
    expect(only(fake.requests).url.pathname).toBe("/_matrix/client/versions");
    fake.reply(json(versionsReply));
    const synapse = await client.versions();
    expect(synapse.unstableFeatures["org.matrix.msc4140"]).toBe(true);
    expect(synapse.unstableFeatures["org.matrix.msc4354"]).toBe(true);
    expect(synapse.versions).toContain("v1.11");
  });

  it("capabilities: GET /v3/capabilities returns the inner object", async () => {
    const { fake, client } = setup();
    fake.reply(json(capabilitiesReply));
    const capabilities = await client.capabilities();
    expect(capabilities["org.matrix.msc4140.delayed_events"]).toEqual({
      max_delay_ms: 86400000,
      max_scheduled: 1000,
    });
    expect(only(fake.requests).url.pathname).toBe("/_matrix/client/v3/capabilities");
  });

  it("sendEvent: PUT /send/{type}/{txnId} with encoded segments and a JSON body", async () => {
    const { fake, client } = setup();
    fake.reply(json({ event_id: "$sent" }));
    await expect(
      client.sendEvent(roomId, "m.room.message", { body: "hi", msgtype: "m.text" }),
    ).resolves.toEqual({ eventId: "$sent" });
    const request = only(fake.requests);
    expect(request.method).toBe("PUT");
    expect(request.url.pathname).toMatch(
      /^\/_matrix\/client\/v3\/rooms\/!call%3Alocalhost\/send\/m\.room\.message\/mxrtc[0-9a-z]+\.1$/,
    );
    expect(request.url.search).toBe("");
    expect(request.headers.get("content-type")).toBe("application/json");
    expect(request.body).toEqual({ body: "hi", msgtype: "m.text" });
  });

  it("sendEvent: delayed + sticky query parameters, explicit txnId, delayId result", async () => {
    const { fake, client } = setup();
    fake.reply(json({ delay_id: "syd_1" }));
    const result = await client.sendEvent(
      roomId,
      "org.matrix.msc4143.rtc.member",
      { msc4354_sticky_key: "m1" },
      { delayMs: 10000, stickyDurationMs: 3600000, txnId: "my/txn" },
    );
    expect(result).toEqual({ delayId: "syd_1" });
    const request = only(fake.requests);
    expect(request.url.pathname).toBe(
      "/_matrix/client/v3/rooms/!call%3Alocalhost/send/org.matrix.msc4143.rtc.member/my%2Ftxn",
    );
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      "org.matrix.msc4140.delay": "10000",
      "org.matrix.msc4354.sticky_duration_ms": "3600000",
    });
  });

  it("transaction ids are unique per client and across clients", async () => {
    const first = setup();
    const second = setup();
    for (const { fake, client } of [first, second, first]) {
      fake.reply(json({ event_id: "$x" }));
      await client.sendEvent(roomId, "m.room.message", {});
    }
    const ids = [...first.fake.requests, ...second.fake.requests].map((request) =>
      request.url.pathname.split("/").pop(),
    );
    expect(new Set(ids).size).toBe(3);
  });

  it("sendStateEvent: PUT /state/{type}/{stateKey} encodes @ : and keeps _", async () => {
    const { fake, client } = setup();
    fake.reply(json({ event_id: "$state" }));
    await client.sendStateEvent(
      roomId,
      "org.matrix.msc3401.call.member",
      "_@alice:localhost_ALICEDEV_m.call",
      { device_id: "ALICEDEV" },
    );
    const request = only(fake.requests);
    expect(request.method).toBe("PUT");
    expect(request.url.pathname).toBe(
      "/_matrix/client/v3/rooms/!call%3Alocalhost/state/org.matrix.msc3401.call.member/_%40alice%3Alocalhost_ALICEDEV_m.call",
    );
    expect(request.body).toEqual({ device_id: "ALICEDEV" });
  });

  it("sendStateEvent: empty state key, delayed, returns the delayId", async () => {
    const { fake, client } = setup();
    fake.reply(json({ delay_id: "syd_2" }));
    await expect(
      client.sendStateEvent(roomId, "m.room.topic", "", {}, { delayMs: 5000 }),
    ).resolves.toEqual({ delayId: "syd_2" });
    const request = only(fake.requests);
    expect(request.url.pathname).toBe(
      "/_matrix/client/v3/rooms/!call%3Alocalhost/state/m.room.topic/",
    );
    expect(request.url.searchParams.get("org.matrix.msc4140.delay")).toBe("5000");
  });

  it("a send reply with neither event_id nor delay_id is a MatrixResponseError", async () => {
    const { fake, client } = setup();
    fake.reply(json({}));
    const error = await client.sendEvent(roomId, "m.room.message", {}).catch((e: unknown) => e);
    expect(MatrixResponseError.isInstance(error)).toBe(true);
  });

  it("getRoomState: GET /rooms/{roomId}/state, drops malformed events", async () => {
    const { fake, client } = setup();
    fake.reply(json(roomStateReply));
    const state = await client.getRoomState(roomId);
    expect(state.map((event) => event.event_id)).toEqual(["$create", "$member"]);
    expect(only(fake.requests).url.pathname).toBe(
      "/_matrix/client/v3/rooms/!call%3Alocalhost/state",
    );
  });

  it("sendToDevice: PUT /sendToDevice/{type}/{txnId} with {messages}", async () => {
    const { fake, client } = setup();
    fake.reply(json({}));
    const messages = { "@bob:localhost": { BOBDEV: { hello: 1 } } };
    await expect(
      client.sendToDevice("io.element.call.encryption_keys", messages, { txnId: "t1" }),
    ).resolves.toBeUndefined();
    const request = only(fake.requests);
    expect(request.method).toBe("PUT");
    expect(request.url.pathname).toBe(
      "/_matrix/client/v3/sendToDevice/io.element.call.encryption_keys/t1",
    );
    expect(request.body).toEqual({ messages });
  });

  it("requestOpenIdToken: asks whoami once when the user id is unknown", async () => {
    const { fake, client } = setup();
    fake.reply(json(whoamiReply), json(openIdReply), json(openIdReply));
    await expect(client.requestOpenIdToken()).resolves.toEqual(openIdReply);
    await client.requestOpenIdToken();
    expect(fake.requests.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
      "GET /_matrix/client/v3/account/whoami",
      "POST /_matrix/client/v3/user/%40alice%3Alocalhost/openid/request_token",
      "POST /_matrix/client/v3/user/%40alice%3Alocalhost/openid/request_token",
    ]);
    expect(fake.requests[1]?.body).toEqual({});
  });

  it("requestOpenIdToken: uses the user id from the options", async () => {
    const { fake, client } = setup({ userId: "@bob:localhost" });
    fake.reply(json(openIdReply));
    await client.requestOpenIdToken();
    expect(only(fake.requests).url.pathname).toBe(
      "/_matrix/client/v3/user/%40bob%3Alocalhost/openid/request_token",
    );
  });

  it("requestOpenIdToken: a reply without access_token is a MatrixResponseError", async () => {
    const { fake, client } = setup({ userId: "@bob:localhost" });
    fake.reply(json({ token_type: "Bearer" }));
    const error = await client.requestOpenIdToken().catch((e: unknown) => e);
    expect(MatrixResponseError.isInstance(error)).toBe(true);
  });

  it("request: query without undefined values, auth: false omits the token", async () => {
    const { fake, client } = setup();
    fake.reply(json({ delayed_events: [] }));
    const reply = await client.request<{ delayed_events: unknown[] }>({
      method: "POST",
      path: "/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_1/restart",
      query: { a: 1, b: true, c: undefined, d: "x y" },
      body: {},
      auth: false,
    });
    expect(reply.delayed_events).toEqual([]);
    const request = only(fake.requests);
    expect(request.method).toBe("POST");
    expect(request.url.search).toBe("?a=1&b=true&d=x+y");
    expect(request.headers.get("authorization")).toBeNull();
    expect(request.body).toEqual({});
  });

  it("uses globalThis.fetch at call time when no fetch is given", async () => {
    const fake = createFakeFetch();
    const original = globalThis.fetch;
    const client = createMatrixClient({ baseUrl, accessToken: "t" });
    globalThis.fetch = fake.fetch;
    try {
      fake.reply(json(whoamiReply));
      await client.whoami();
    } finally {
      globalThis.fetch = original;
    }
    expect(fake.requests).toHaveLength(1);
  });

  it("a room id with a lone surrogate rejects instead of throwing", async () => {
    const { client } = setup();
    await expect(client.getRoomState("!\uD800:x")).rejects.toBeInstanceOf(URIError);
  });
});
