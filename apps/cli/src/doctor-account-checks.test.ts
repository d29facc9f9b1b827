import { createMatrixClient } from "@mxrtc/matrix";
import { describe, expect, it } from "vitest";
import { fakeFetch, json } from "../test/fake-fetch.js";
import { checkDelayedEventLimits, checkToken } from "./doctor-account-checks.js";
import type { DoctorContext } from "./doctor-check.js";

const HS = "http://hs.test";

function contextWith(routes: Parameters<typeof fakeFetch>[0], token = "t"): DoctorContext {
  const { fetch } = fakeFetch(routes);
  return {
    fetch,
    homeserver: HS,
    timeoutMs: 1000,
    matrix: createMatrixClient({ baseUrl: HS, accessToken: token, fetch }),
  };
}

const capabilities = (limits: Record<string, number>) => ({
  [`GET ${HS}/_matrix/client/v3/capabilities`]: () =>
    json(200, { capabilities: { "org.matrix.msc4140.delayed_events": limits } }),
});

describe("checkToken", () => {
  it("names the user and device, and derives the server name", async () => {
    const context = contextWith({
      [`GET ${HS}/_matrix/client/v3/account/whoami`]: () =>
        json(200, { user_id: "@doc:example.org", device_id: "DOC" }),
    });
    const { result, identity } = await checkToken(context);
    expect(result.status).toBe("ok");
    expect(identity).toEqual({
      userId: "@doc:example.org",
      deviceId: "DOC",
      serverName: "example.org",
    });
  });

  it("fails on a rejected token, naming M_UNKNOWN_TOKEN", async () => {
    const context = contextWith({
      [`GET ${HS}/_matrix/client/v3/account/whoami`]: () =>
        json(401, { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token" }),
    });
    const { result, identity } = await checkToken(context);
    expect(result.status).toBe("fail");
    expect(result.message).toContain("M_UNKNOWN_TOKEN");
    expect(identity).toBeUndefined();
  });

  it("without a token warns that user checks are skipped", async () => {
    const { result } = await checkToken({ fetch, homeserver: HS, timeoutMs: 1000 });
    expect(result.status).toBe("warn");
  });
});

describe("checkDelayedEventLimits", () => {
  it("reports the limits", async () => {
    const result = await checkDelayedEventLimits(
      contextWith(capabilities({ max_delay_ms: 86_400_000, max_scheduled: 100 })),
    );
    expect(result).toMatchObject({ status: "ok" });
    expect(result.message).toContain("max_delay_ms 86400000");
    expect(result.message).toContain("max_scheduled 100");
  });

  it("warns when max_delay_ms is under 10 s (too short for the heartbeat)", async () => {
    const result = await checkDelayedEventLimits(contextWith(capabilities({ max_delay_ms: 5000 })));
    expect(result.status).toBe("warn");
    expect(result.message).toContain("under 10 s");
    expect(result.fix).toContain("max_event_delay_duration");
  });

  it("warns when capabilities cannot be read", async () => {
    const result = await checkDelayedEventLimits(contextWith({}));
    expect(result.status).toBe("warn");
    expect(result.message).toContain("cannot reach the homeserver");
  });
});
