import { describe, expect, it } from "vitest";
import { LivekitFocusError } from "./livekit-focus-error.js";
import { type LivekitTokenRequest, requestLivekitToken } from "./request-livekit-token.js";
import {
  createFakeTokenService,
  FAKE_SERVICE_URL,
  FAKE_SFU_URL,
} from "./test-support/fake-token-service.js";

const openIdToken = {
  access_token: "openid-abc",
  token_type: "Bearer",
  matrix_server_name: "example.com",
  expires_in: 3600,
};

function request(overrides: Partial<LivekitTokenRequest> = {}): LivekitTokenRequest {
  return {
    serviceUrl: FAKE_SERVICE_URL,
    roomId: "!tDLCaLXijNtYcJZEey:example.com",
    slotId: "m.call#ROOM",
    member: { userId: "@user:example.com", deviceId: "DEVICEID", memberId: "xyzABCDEF10123" },
    openIdToken,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<LivekitFocusError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!LivekitFocusError.isInstance(error))
    throw new Error(`expected a LivekitFocusError, got ${String(error)}`);
  expect(error.focusType).toBe("livekit");
  return error;
}

describe("requestLivekitToken", () => {
  it("POSTs Element Call's exact /get_token body and returns url and jwt", async () => {
    const service = createFakeTokenService();
    const grant = await requestLivekitToken(request({ fetch: service.fetch }));
    expect(grant).toEqual({ url: FAKE_SFU_URL, jwt: "jwt-get-token", endpoint: "get_token" });
    expect(service.requests).toEqual([
      {
        url: `${FAKE_SERVICE_URL}/get_token`,
        path: "/get_token",
        body: {
          room_id: "!tDLCaLXijNtYcJZEey:example.com",
          slot_id: "m.call#ROOM",
          openid_token: openIdToken,
          member: {
            id: "xyzABCDEF10123",
            claimed_user_id: "@user:example.com",
            claimed_device_id: "DEVICEID",
          },
        },
      },
    ]);
  });

  it("falls back to the legacy /sfu/get body when /get_token answers 404", async () => {
    const service = createFakeTokenService();
    service.routes.delete("/get_token");
    const grant = await requestLivekitToken(request({ fetch: service.fetch }));
    expect(grant).toEqual({ url: FAKE_SFU_URL, jwt: "jwt-sfu-get", endpoint: "sfu_get" });
    expect(service.requests.map((entry) => entry.path)).toEqual(["/get_token", "/sfu/get"]);
    expect(service.requests[1]?.body).toEqual({
      room: "!tDLCaLXijNtYcJZEey:example.com",
      openid_token: openIdToken,
      device_id: "DEVICEID",
    });
  });

  it("does not fall back on other errors, nor with endpoint get_token", async () => {
    const service = createFakeTokenService();
    service.routes.set("/get_token", { status: 401, body: { errcode: "M_UNAUTHORIZED" } });
    const unauthorized = await failure(requestLivekitToken(request({ fetch: service.fetch })));
    expect(unauthorized.code).toBe("unauthorized");
    service.routes.delete("/get_token");
    const notFound = await failure(
      requestLivekitToken(request({ fetch: service.fetch, endpoint: "get_token" })),
    );
    expect(notFound.code).toBe("not-found");
    expect(service.requests.map((entry) => entry.path)).toEqual(["/get_token", "/get_token"]);
  });

  it("calls only /sfu/get with endpoint sfu_get, and says not-found when neither exists", async () => {
    const service = createFakeTokenService();
    const grant = await requestLivekitToken(request({ fetch: service.fetch, endpoint: "sfu_get" }));
    expect(grant.endpoint).toBe("sfu_get");
    service.routes.clear();
    const error = await failure(requestLivekitToken(request({ fetch: service.fetch })));
    expect(error).toMatchObject({ code: "not-found", status: 404, errcode: "M_UNRECOGNIZED" });
    expect(service.requests.map((entry) => entry.path)).toEqual([
      "/sfu/get",
      "/get_token",
      "/sfu/get",
    ]);
  });

  it.each([
    [400, "M_BAD_JSON", "bad-request"],
    [401, "M_UNAUTHORIZED", "unauthorized"],
    [403, "M_USER_LIMIT_EXCEEDED", "forbidden"],
    [429, "M_LIMIT_EXCEEDED", "rate-limited"],
    [500, "M_UNKNOWN", "service-error"],
    [502, undefined, "service-error"],
    [418, undefined, "service-error"],
  ])("maps %i %s to %s", async (status, errcode, code) => {
    const service = createFakeTokenService();
    service.routes.set("/get_token", {
      status,
      body: errcode === undefined ? undefined : { errcode, error: "refused" },
    });
    const error = await failure(requestLivekitToken(request({ fetch: service.fetch })));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.errcode).toBe(errcode);
  });

  it.each([
    ["not JSON", { status: 200, text: "<html>hello</html>" }],
    ["no jwt", { status: 200, body: { url: FAKE_SFU_URL } }],
    ["a number url", { status: 200, body: { url: 7, jwt: "x" } }],
    ["an array", { status: 200, body: [] }],
    ["empty", { status: 200 }],
  ])("says malformed-response for a 2xx with %s", async (_name, reply) => {
    const service = createFakeTokenService();
    service.routes.set("/get_token", reply);
    const error = await failure(requestLivekitToken(request({ fetch: service.fetch })));
    expect(error.code).toBe("malformed-response");
  });

  it("says service-unreachable when there is no answer", async () => {
    const service = createFakeTokenService();
    const error = await failure(
      requestLivekitToken(request({ fetch: service.fetch, serviceUrl: "http://unreachable.test" })),
    );
    expect(error.code).toBe("service-unreachable");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("says timeout when the service does not answer in time, and aborted on the caller's abort", async () => {
    const hanging: LivekitTokenRequest["fetch"] = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal.addEventListener("abort", () => reject(init.signal.reason)),
      );
    const slow = await failure(requestLivekitToken(request({ fetch: hanging, timeoutMs: 10 })));
    expect(slow.code).toBe("timeout");
    const controller = new AbortController();
    const pending = requestLivekitToken(
      request({ fetch: hanging, signal: controller.signal, timeoutMs: 60_000 }),
    );
    controller.abort(new Error("stop"));
    expect((await failure(pending)).code).toBe("aborted");
    controller.abort();
    const already = await failure(requestLivekitToken(request({ signal: controller.signal })));
    expect(already.code).toBe("aborted");
  });
});
