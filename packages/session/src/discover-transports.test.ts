import { describe, expect, it } from "vitest";
import { createFakeMatrix } from "../test/fake-matrix.js";
import { discoverTransports, RTC_TRANSPORTS_PATH } from "./discover-transports.js";

const SFU = { type: "livekit", livekit_service_url: "https://sfu" };

describe("discoverTransports", () => {
  it("prefers /rtc/transports, skipping invalid entries", async () => {
    const fake = createFakeMatrix({
      requests: {
        [RTC_TRANSPORTS_PATH]: { rtc_transports: [SFU, { no: "type" }] },
        "/.well-known/matrix/client": { "org.matrix.msc4143.rtc_foci": [{ type: "other" }] },
      },
    });
    expect(await discoverTransports(fake.port)).toEqual([SFU]);
  });

  it("falls back to .well-known, then to nothing", async () => {
    const wellKnown = createFakeMatrix({
      requests: { "/.well-known/matrix/client": { "org.matrix.msc4143.rtc_foci": [SFU] } },
    });
    expect(await discoverTransports(wellKnown.port)).toEqual([SFU]);
    expect(await discoverTransports(createFakeMatrix().port)).toEqual([]);
    const malformed = createFakeMatrix({
      requests: { [RTC_TRANSPORTS_PATH]: { rtc_transports: "nope" } },
    });
    expect(await discoverTransports(malformed.port)).toEqual([]);
  });
});
