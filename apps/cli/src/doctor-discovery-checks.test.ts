import { createMatrixClient } from "@mxrtc/matrix";
import type { RtcTransport } from "@mxrtc/types";
import { describe, expect, it } from "vitest";
import { fakeFetch, json } from "../test/fake-fetch.js";
import type { DoctorContext } from "./doctor-check.js";
import {
  checkRtcTransports,
  checkTransportSource,
  checkWellKnownFoci,
} from "./doctor-discovery-checks.js";

const HS = "http://hs.test";
const LIVEKIT = { type: "livekit", livekit_service_url: "http://sfu.test/livekit/jwt" };

function contextWith(routes: Parameters<typeof fakeFetch>[0]): DoctorContext {
  const { fetch } = fakeFetch(routes);
  return {
    fetch,
    homeserver: HS,
    timeoutMs: 1000,
    matrix: createMatrixClient({ baseUrl: HS, accessToken: "t", fetch }),
  };
}

describe("checkWellKnownFoci", () => {
  it("reads org.matrix.msc4143.rtc_foci and collects the transports", async () => {
    const found: RtcTransport[] = [];
    const result = await checkWellKnownFoci(
      contextWith({
        [`GET ${HS}/.well-known/matrix/client`]: () =>
          json(200, { "org.matrix.msc4143.rtc_foci": [LIVEKIT, { nope: 1 }] }),
      }),
      HS,
      found,
    );
    expect(result).toMatchObject({ id: `well-known:${HS}`, status: "warn" });
    expect(result.message).toContain("livekit http://sfu.test/livekit/jwt");
    expect(result.message).toContain("1 invalid");
    expect(found).toEqual([LIVEKIT]);
  });

  it("warns, with the fix, when the key is missing or the host unreachable", async () => {
    const missing = await checkWellKnownFoci(
      contextWith({ [`GET ${HS}/.well-known/matrix/client`]: () => json(200, {}) }),
      HS,
      [],
    );
    expect(missing.status).toBe("warn");
    expect(missing.fix).toContain("org.matrix.msc4143.rtc_foci");
    const unreachable = await checkWellKnownFoci(contextWith({}), "https://other.test", []);
    expect(unreachable.status).toBe("warn");
    expect(unreachable.message).toContain("unreachable");
  });
});

describe("checkRtcTransports", () => {
  it("lists the transports (de-duplicated with what was found before)", async () => {
    const found: RtcTransport[] = [LIVEKIT];
    const result = await checkRtcTransports(
      contextWith({
        [`GET ${HS}/_matrix/client/unstable/org.matrix.msc4143/rtc/transports`]: () =>
          json(200, { rtc_transports: [LIVEKIT, { type: "full_mesh" }] }),
      }),
      found,
    );
    expect(result.status).toBe("ok");
    expect(found).toEqual([LIVEKIT, { type: "full_mesh" }]);
  });

  it("warns when the endpoint is unknown (M_UNRECOGNIZED)", async () => {
    const result = await checkRtcTransports(
      contextWith({
        [`GET ${HS}/_matrix/client/unstable/org.matrix.msc4143/rtc/transports`]: () =>
          json(404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" }),
      }),
      [],
    );
    expect(result.status).toBe("warn");
    expect(result.message).toContain("M_UNRECOGNIZED");
    expect(result.fix).toContain("msc4143_enabled");
  });
});

describe("checkTransportSource", () => {
  it("fails when no source names a transport (a call needs one)", () => {
    expect(checkTransportSource([])).toMatchObject({ status: "fail" });
    expect(checkTransportSource([LIVEKIT])).toMatchObject({ status: "ok" });
  });
});
