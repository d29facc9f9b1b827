import { createMatrixClient } from "@mxrtc/matrix";
import { describe, expect, it } from "vitest";
import { fakeFetch, json } from "../test/fake-fetch.js";
import type { DoctorContext } from "./doctor-check.js";
import { checkFocusHealth, checkFocusToken } from "./doctor-focus-checks.js";

const HS = "http://hs.test";
const SFU = "http://sfu.test/livekit/jwt";
const LIVEKIT = { type: "livekit", livekit_service_url: `${SFU}/` };
const identity = { userId: "@doc:hs.test", deviceId: "DOC", serverName: "hs.test" };
const OPENID = {
  access_token: "oid",
  token_type: "Bearer",
  matrix_server_name: "hs.test",
  expires_in: 3600,
};

function contextWith(routes: Parameters<typeof fakeFetch>[0]): DoctorContext {
  const { fetch } = fakeFetch({
    [`POST ${HS}/_matrix/client/v3/user/%40doc%3Ahs.test/openid/request_token`]: () =>
      json(200, OPENID),
    ...routes,
  });
  return {
    fetch,
    homeserver: HS,
    timeoutMs: 1000,
    matrix: createMatrixClient({ baseUrl: HS, accessToken: "t", userId: identity.userId, fetch }),
    identity,
  };
}

describe("checkFocusHealth", () => {
  it("ok on a 2xx /healthz, fail on an error status or no reply", async () => {
    const healthy = await checkFocusHealth(
      contextWith({ [`GET ${SFU}/healthz`]: () => new Response("", { status: 200 }) }),
      LIVEKIT,
    );
    expect(healthy).toMatchObject({ id: `focus-health:${SFU}`, status: "ok" });
    const broken = await checkFocusHealth(
      contextWith({ [`GET ${SFU}/healthz`]: () => new Response("bad gateway", { status: 502 }) }),
      LIVEKIT,
    );
    expect(broken.status).toBe("fail");
    expect(broken.message).toContain("502");
    const down = await checkFocusHealth(contextWith({}), LIVEKIT);
    expect(down.status).toBe("fail");
    expect(down.message).toContain("unreachable");
  });

  it("full_mesh needs no service; unknown types are warnings", async () => {
    expect((await checkFocusHealth(contextWith({}), { type: "full_mesh" })).status).toBe("ok");
    expect((await checkFocusHealth(contextWith({}), { type: "x.custom" })).status).toBe("warn");
  });
});

describe("checkFocusToken", () => {
  it("posts room_id, slot_id, openid_token and member; expects {url, jwt}", async () => {
    let seen: unknown;
    const result = await checkFocusToken(
      contextWith({
        [`POST ${SFU}/get_token`]: ({ body }) => {
          seen = body;
          return json(200, { url: "ws://sfu.test", jwt: "a.b.c" });
        },
      }),
      LIVEKIT,
      "!room:hs.test",
    );
    expect(result).toMatchObject({ status: "ok" });
    expect(seen).toEqual({
      room_id: "!room:hs.test",
      slot_id: "m.call#ROOM",
      openid_token: OPENID,
      member: { id: "@doc:hs.test:DOC", claimed_user_id: "@doc:hs.test", claimed_device_id: "DOC" },
    });
  });

  it("fails on an error reply, naming the errcode", async () => {
    const result = await checkFocusToken(
      contextWith({
        [`POST ${SFU}/get_token`]: () => json(401, { errcode: "M_UNAUTHORIZED", error: "bad" }),
      }),
      LIVEKIT,
      "!room:hs.test",
    );
    expect(result?.status).toBe("fail");
    expect(result?.message).toContain("401 M_UNAUTHORIZED");
    expect(result?.fix).toContain("openid/userinfo");
  });

  it("without a room: skipped as a warning, not a failure", async () => {
    const result = await checkFocusToken(contextWith({}), LIVEKIT, undefined);
    expect(result).toMatchObject({ status: "warn" });
    expect(result?.message).toContain("needs --write ROOM_ID");
    expect(await checkFocusToken(contextWith({}), { type: "full_mesh" }, "!r:x")).toBeUndefined();
  });
});
