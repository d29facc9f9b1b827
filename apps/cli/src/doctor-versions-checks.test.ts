import { describe, expect, it } from "vitest";
import {
  checkDelayedEventsFeature,
  checkMatrixRtcFeature,
  checkStickyEventsFeature,
} from "./doctor-versions-checks.js";

const versions = (features: Record<string, boolean>) => ({
  versions: ["v1.11"],
  unstableFeatures: features,
});

describe("versions feature checks", () => {
  it("MSC4140 is needed: missing fails with the Synapse fix", () => {
    expect(checkDelayedEventsFeature(versions({ "org.matrix.msc4140": true })).status).toBe("ok");
    expect(checkDelayedEventsFeature(versions({ "org.matrix.msc4140.stable": true })).status).toBe(
      "ok",
    );
    const missing = checkDelayedEventsFeature(versions({ "org.matrix.msc4140": false }));
    expect(missing).toMatchObject({ id: "msc4140", status: "fail" });
    expect(missing.fix).toContain("max_event_delay_duration");
  });

  it("MSC4354 and MSC4143 missing are warnings that say what they are for", () => {
    const sticky = checkStickyEventsFeature(versions({}));
    expect(sticky).toMatchObject({ id: "msc4354", status: "warn" });
    expect(sticky.message).toContain("sticky");
    expect(checkStickyEventsFeature(versions({ "org.matrix.msc4354": true })).status).toBe("ok");
    const rtc = checkMatrixRtcFeature(versions({}));
    expect(rtc).toMatchObject({ id: "msc4143", status: "warn" });
    expect(rtc.message).toContain(".well-known");
    expect(checkMatrixRtcFeature(versions({ "org.matrix.msc4143": true })).status).toBe("ok");
  });
});
