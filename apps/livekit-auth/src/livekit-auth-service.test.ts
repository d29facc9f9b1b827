import { livekitIdentity, livekitRoomAlias } from "@mxrtc/types";
import { TokenVerifier } from "livekit-server-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { delegationKey } from "./delegation-store.js";
import { decodeJwtPayload } from "./test-support/decode-jwt.js";
import {
  API_KEY,
  API_SECRET,
  type ServiceFixture,
  startServiceFixture,
} from "./test-support/service-fixture.js";
import { signWebhook, webhookBody } from "./test-support/sign-webhook.js";

/** Element Call's `/get_token` body, exactly as specs §3.3 shows it. */
const elementCallGetToken = {
  room_id: "!tDLCaLXijNtYcJZEey:example.com",
  slot_id: "m.call#ROOM",
  openid_token: {
    access_token: "good",
    token_type: "Bearer",
    matrix_server_name: "example.com",
    expires_in: 3600,
  },
  member: {
    id: "xyzABCDEF10123",
    claimed_user_id: "@user:example.com",
    claimed_device_id: "DEVICEID",
  },
};
/** The legacy `/sfu/get` body (specs §3.3). */
const elementCallSfuGet = {
  room: "!tDLCaLXijNtYcJZEey:example.com",
  openid_token: {
    access_token: "good",
    token_type: "Bearer",
    matrix_server_name: "example.com",
    expires_in: 3600,
  },
  device_id: "DEVICEID",
};

let fixture: ServiceFixture;
beforeEach(async () => {
  fixture = await startServiceFixture();
});
afterEach(async () => {
  await fixture.close();
});

async function expectGrants(jwt: string, room: string, identity: string) {
  const claims = decodeJwtPayload(jwt);
  expect(claims.sub).toBe(identity);
  expect(claims.iss).toBe(API_KEY);
  expect(claims.video).toEqual({
    roomJoin: true,
    roomCreate: false,
    canPublish: true,
    canSubscribe: true,
    canUpdateOwnMetadata: true,
    room,
  });
  expect((claims.exp as number) - (claims.nbf as number)).toBe(3600);
  const verified = await new TokenVerifier(API_KEY, API_SECRET).verify(jwt);
  expect(verified.sub).toBe(identity);
}

describe("POST /get_token", () => {
  it("answers Element Call's body with {url, jwt} whose claims are the MSC4195 hashes and lk-jwt-service grants", async () => {
    const reply = await fixture.post("/get_token", elementCallGetToken);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(["jwt", "url"]);
    expect(reply.body.url).toBe("wss://sfu.example.test");
    const alias = await livekitRoomAlias("!tDLCaLXijNtYcJZEey:example.com", "m.call#ROOM");
    const identity = await livekitIdentity("@user:example.com", "DEVICEID", "xyzABCDEF10123");
    await expectGrants(reply.body.jwt as string, alias, identity);
    expect(fixture.livekit.createdRooms).toEqual([alias]);
    expect(reply.headers.get("access-control-allow-origin")).toBe("*");
    expect(fixture.homeserver.requests[0]).toBe(
      "https://hs.example.test/_matrix/federation/v1/openid/userinfo?access_token=good",
    );
  });

  it("issues a token but creates no room for a homeserver without full access", async () => {
    const reply = await fixture.post("/get_token", {
      ...elementCallGetToken,
      openid_token: {
        ...elementCallGetToken.openid_token,
        access_token: "restricted",
        matrix_server_name: "restricted.org",
      },
      member: { ...elementCallGetToken.member, claimed_user_id: "@bob:restricted.org" },
    });
    expect(reply.status).toBe(200);
    expect(fixture.livekit.createdRooms).toEqual([]);
  });

  it.each([
    ["room_id", { ...elementCallGetToken, room_id: undefined }],
    ["slot_id", { ...elementCallGetToken, slot_id: 5 }],
    ["openid_token", { ...elementCallGetToken, openid_token: undefined }],
    [
      "openid_token.access_token",
      { ...elementCallGetToken, openid_token: { matrix_server_name: "example.com" } },
    ],
    ["member", { ...elementCallGetToken, member: "x" }],
    ["member.id", { ...elementCallGetToken, member: { ...elementCallGetToken.member, id: "" } }],
    [
      "member.claimed_user_id",
      { ...elementCallGetToken, member: { id: "a", claimed_device_id: "D" } },
    ],
    [
      "member.claimed_device_id",
      { ...elementCallGetToken, member: { id: "a", claimed_user_id: "@user:example.com" } },
    ],
    ["delay_id without delay_timeout", { ...elementCallGetToken, delay_id: "syd_1" }],
    ["delay_timeout without delay_id", { ...elementCallGetToken, delay_timeout: 7_200_000 }],
    [
      "non-integer delay_timeout",
      { ...elementCallGetToken, delay_id: "syd_1", delay_timeout: "soon" },
    ],
  ])("refuses a body with a bad %s: 400 M_BAD_JSON", async (_name, body) => {
    const reply = await fixture.post("/get_token", body);
    expect(reply).toMatchObject({ status: 400, body: { errcode: "M_BAD_JSON" } });
    expect(fixture.homeserver.requests).toEqual([]);
  });

  it.each([["not json {"], ["[1,2]"], ['"text"'], [""]])(
    "refuses %j: 400 M_NOT_JSON",
    async (text) => {
      const reply = await fixture.post("/get_token", text);
      expect(reply).toMatchObject({ status: 400, body: { errcode: "M_NOT_JSON" } });
    },
  );

  it("accepts unknown fields (only /sfu/get is strict)", async () => {
    const reply = await fixture.post("/get_token", { ...elementCallGetToken, extra: true });
    expect(reply.status).toBe(200);
  });

  it.each([
    [
      "an unknown token",
      { openid_token: { ...elementCallGetToken.openid_token, access_token: "forged" } },
    ],
    [
      "a claimed user that is not the token's user",
      { member: { ...elementCallGetToken.member, claimed_user_id: "@mallory:example.com" } },
    ],
    [
      "a homeserver vouching for another server's user",
      { openid_token: { ...elementCallGetToken.openid_token, access_token: "liar" } },
    ],
    [
      "an unreachable homeserver",
      {
        openid_token: {
          ...elementCallGetToken.openid_token,
          matrix_server_name: "nowhere.invalid",
        },
      },
    ],
    [
      "a crafted server name",
      {
        openid_token: { ...elementCallGetToken.openid_token, matrix_server_name: "evil.com/path?" },
      },
    ],
  ])("refuses %s: 401 M_UNAUTHORIZED", async (_name, change) => {
    const reply = await fixture.post("/get_token", { ...elementCallGetToken, ...change });
    expect(reply).toMatchObject({ status: 401, body: { errcode: "M_UNAUTHORIZED" } });
    expect(fixture.livekit.createdRooms).toEqual([]);
  });

  it("answers 500 M_UNKNOWN without internals when LiveKit cannot create the room", async () => {
    fixture.livekit.failing = true;
    const reply = await fixture.post("/get_token", elementCallGetToken);
    expect(reply.status).toBe(500);
    expect(reply.body).toEqual({ errcode: "M_UNKNOWN", error: "Unable to create room on SFU" });
  });

  it("accepts in-band delegation from a full-access homeserver and starts a job", async () => {
    const reply = await fixture.post("/get_token", {
      ...elementCallGetToken,
      delay_id: "syd_inband",
      delay_timeout: 7_200_000,
    });
    expect(reply.status).toBe(200);
    const alias = await livekitRoomAlias(elementCallGetToken.room_id, "m.call#ROOM");
    const identity = await livekitIdentity("@user:example.com", "DEVICEID", "xyzABCDEF10123");
    const record = await fixture.store.get(delegationKey(alias, identity));
    expect(record).toMatchObject({
      delayId: "syd_inband",
      delayTimeoutMs: 7_200_000,
      state: "waiting-for-initial-connect",
      homeserverUrl: "https://hs.example.test",
    });
  });

  it("refuses in-band delegation from a restricted homeserver with 400 M_BAD_JSON", async () => {
    const reply = await fixture.post("/get_token", {
      ...elementCallGetToken,
      openid_token: {
        ...elementCallGetToken.openid_token,
        access_token: "restricted",
        matrix_server_name: "restricted.org",
      },
      member: { ...elementCallGetToken.member, claimed_user_id: "@bob:restricted.org" },
      delay_id: "syd_x",
      delay_timeout: 7_200_000,
    });
    expect(reply).toMatchObject({ status: 400, body: { errcode: "M_BAD_JSON" } });
    expect(await fixture.store.list()).toEqual([]);
  });
});

describe("POST /sfu/get (legacy)", () => {
  it("answers Element Call's legacy body with the m.call#ROOM alias and the user:device identity", async () => {
    const reply = await fixture.post("/sfu/get", elementCallSfuGet);
    expect(reply.status).toBe(200);
    expect(Object.keys(reply.body).sort()).toEqual(["jwt", "url"]);
    const alias = await livekitRoomAlias(elementCallSfuGet.room, "m.call#ROOM");
    await expectGrants(reply.body.jwt as string, alias, "@user:example.com:DEVICEID");
  });

  it("accepts and ignores delay_cs_api_url, and delegates in-band", async () => {
    const reply = await fixture.post("/sfu/get", {
      ...elementCallSfuGet,
      delay_id: "syd_legacy",
      delay_timeout: 7_200_000,
      delay_cs_api_url: "https://attacker.example/",
    });
    expect(reply.status).toBe(200);
    const [record] = await fixture.store.list();
    expect(record).toMatchObject({
      identity: "@user:example.com:DEVICEID",
      homeserverUrl: "https://hs.example.test",
    });
  });

  it("refuses unknown fields with 400 M_NOT_JSON (DisallowUnknownFields)", async () => {
    const reply = await fixture.post("/sfu/get", {
      ...elementCallSfuGet,
      room_id: "!x:example.com",
    });
    expect(reply).toMatchObject({ status: 400, body: { errcode: "M_NOT_JSON" } });
  });

  it.each(["room", "openid_token", "device_id"])(
    "refuses a missing %s with 400 M_BAD_JSON",
    async (field) => {
      const reply = await fixture.post("/sfu/get", { ...elementCallSfuGet, [field]: undefined });
      expect(reply).toMatchObject({ status: 400, body: { errcode: "M_BAD_JSON" } });
    },
  );

  it("refuses a forged token with 401 M_UNAUTHORIZED", async () => {
    const reply = await fixture.post("/sfu/get", {
      ...elementCallSfuGet,
      openid_token: { access_token: "nope", matrix_server_name: "example.com" },
    });
    expect(reply).toMatchObject({ status: 401, body: { errcode: "M_UNAUTHORIZED" } });
  });
});

describe("POST /delegate_delayed_leave", () => {
  const body = { ...elementCallGetToken, delay_id: "syd_explicit", delay_timeout: 3_600_000 };

  it("answers {} and stores one job per participant; a new delay_id replaces the old job", async () => {
    expect(await fixture.post("/delegate_delayed_leave", body)).toMatchObject({
      status: 200,
      body: {},
    });
    expect(
      await fixture.post("/delegate_delayed_leave", { ...body, delay_id: "syd_second" }),
    ).toMatchObject({ status: 200 });
    const records = await fixture.store.list();
    expect(records).toHaveLength(1);
    expect(records[0]?.delayId).toBe("syd_second");
    expect(fixture.service.manager.localJobs()).toHaveLength(1);
  });

  it("refuses a restricted homeserver with 403 M_FORBIDDEN", async () => {
    const reply = await fixture.post("/delegate_delayed_leave", {
      ...body,
      openid_token: {
        ...body.openid_token,
        access_token: "restricted",
        matrix_server_name: "restricted.org",
      },
      member: { ...body.member, claimed_user_id: "@bob:restricted.org" },
    });
    expect(reply).toMatchObject({ status: 403, body: { errcode: "M_FORBIDDEN" } });
  });

  it.each(["delay_id", "delay_timeout"])(
    "refuses a missing %s with 400 M_BAD_JSON",
    async (field) => {
      const reply = await fixture.post("/delegate_delayed_leave", { ...body, [field]: undefined });
      expect(reply).toMatchObject({ status: 400, body: { errcode: "M_BAD_JSON" } });
    },
  );

  it("refuses a claimed user mismatch with 401 M_UNAUTHORIZED", async () => {
    const reply = await fixture.post("/delegate_delayed_leave", {
      ...body,
      member: { ...body.member, claimed_user_id: "@x:example.com" },
    });
    expect(reply).toMatchObject({ status: 401, body: { errcode: "M_UNAUTHORIZED" } });
  });
});

describe("POST /sfu_webhook", () => {
  it("drives a delegated job: joined → restart, left → send, recorded as sent", async () => {
    await fixture.post("/delegate_delayed_leave", {
      ...elementCallGetToken,
      delay_id: "syd_hook",
      delay_timeout: 3_600_000,
    });
    const alias = await livekitRoomAlias(elementCallGetToken.room_id, "m.call#ROOM");
    const identity = await livekitIdentity("@user:example.com", "DEVICEID", "xyzABCDEF10123");
    const joined = webhookBody("participant_joined", alias, identity);
    expect(
      await fixture.post("/sfu_webhook", joined, {
        authorization: await signWebhook(joined, API_KEY, API_SECRET),
      }),
    ).toMatchObject({ status: 200 });
    await fixture.service.manager.idle();
    expect(fixture.homeserver.delayedCalls.map((call) => `${call.action}:${call.delayId}`)).toEqual(
      ["restart:syd_hook"],
    );
    expect((await fixture.store.get(delegationKey(alias, identity)))?.state).toBe("connected");
    const left = webhookBody("participant_left", alias, identity, {
      disconnectReason: "CLIENT_INITIATED",
    });
    await fixture.post("/sfu_webhook", left, {
      authorization: await signWebhook(left, API_KEY, API_SECRET),
    });
    await fixture.service.manager.idle();
    expect(fixture.homeserver.delayedCalls.map((call) => call.action)).toEqual(["restart", "send"]);
    const record = await fixture.store.get(delegationKey(alias, identity));
    expect(record).toMatchObject({
      state: "disconnected",
      outcome: "sent (participant_left/CLIENT_INITIATED)",
    });
    expect(record?.sentTs).toBeTypeOf("number");
  });

  it.each([
    ["no signature", async (body: string) => ({ body, headers: {} })],
    [
      "a signature made with another secret",
      async (body: string) => ({
        body,
        headers: {
          authorization: await signWebhook(
            body,
            API_KEY,
            "another-secret-of-at-least-32-characters",
          ),
        },
      }),
    ],
    [
      "a tampered body",
      async (body: string) => ({
        body: body.replace("participant_joined", "participant_left"),
        headers: { authorization: await signWebhook(body, API_KEY, API_SECRET) },
      }),
    ],
    [
      "garbage in the header",
      async (body: string) => ({ body, headers: { authorization: "Bearer x.y.z" } }),
    ],
  ])("refuses a webhook with %s: 401", async (_name, make) => {
    const request = await make(webhookBody("participant_joined", "room", "someone"));
    const reply = await fixture.post("/sfu_webhook", request.body, request.headers);
    expect(reply).toMatchObject({ status: 401, body: { errcode: "M_UNAUTHORIZED" } });
  });

  it("does not send the leave when a reconnect replaced the session (DUPLICATE_IDENTITY)", async () => {
    await fixture.post("/delegate_delayed_leave", {
      ...elementCallGetToken,
      delay_id: "syd_dup",
      delay_timeout: 3_600_000,
    });
    const alias = await livekitRoomAlias(elementCallGetToken.room_id, "m.call#ROOM");
    const identity = await livekitIdentity("@user:example.com", "DEVICEID", "xyzABCDEF10123");
    for (const body of [
      webhookBody("participant_joined", alias, identity),
      webhookBody("participant_left", alias, identity, { disconnectReason: "DUPLICATE_IDENTITY" }),
    ]) {
      await fixture.post("/sfu_webhook", body, {
        authorization: await signWebhook(body, API_KEY, API_SECRET),
      });
      await fixture.service.manager.idle();
    }
    expect(fixture.homeserver.delayedCalls.map((call) => call.action)).toEqual(["restart"]);
    expect((await fixture.store.get(delegationKey(alias, identity)))?.state).toBe("connected");
  });

  it("accepts events it does not act on", async () => {
    const body = JSON.stringify({
      event: "room_started",
      room: { name: "x" },
      id: "EV_1",
      createdAt: "1",
    });
    const reply = await fixture.post("/sfu_webhook", body, {
      authorization: await signWebhook(body, API_KEY, API_SECRET),
    });
    expect(reply.status).toBe(200);
  });
});

describe("HTTP plumbing", () => {
  it("answers GET and HEAD /healthz with 200", async () => {
    expect((await fetch(`${fixture.url}/healthz`)).status).toBe(200);
    const head = await fetch(`${fixture.url}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
  });

  it("answers a CORS preflight with 200 and allows any origin", async () => {
    const response = await fetch(`${fixture.url}/get_token`, {
      method: "OPTIONS",
      headers: { origin: "https://call.example.com", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")).toContain("Content-Type");
  });

  it.each([
    ["GET", "/get_token"],
    ["PUT", "/sfu/get"],
    ["GET", "/delegate_delayed_leave"],
    ["GET", "/sfu_webhook"],
    ["POST", "/healthz"],
  ])("answers %s %s with 405 and Allow", async (method, path) => {
    const response = await fetch(`${fixture.url}${path}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toContain(path === "/healthz" ? "GET" : "POST");
    expect(await response.json()).toMatchObject({ errcode: "M_UNRECOGNIZED" });
  });

  it("answers an unknown path with 404 M_UNRECOGNIZED", async () => {
    const reply = await fixture.post("/nope", {});
    expect(reply).toMatchObject({ status: 404, body: { errcode: "M_UNRECOGNIZED" } });
  });

  it("refuses a body over 64 KiB with 413 M_TOO_LARGE", async () => {
    const reply = await fixture.post("/get_token", {
      ...elementCallGetToken,
      padding: "x".repeat(70_000),
    });
    expect(reply).toMatchObject({ status: 413, body: { errcode: "M_TOO_LARGE" } });
  });
});
