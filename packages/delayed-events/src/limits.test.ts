import { describe, expect, it } from "vitest";
import {
  connectionError,
  createFakeMatrixPort,
  matrixError,
  STABLE_VERSIONS,
} from "./__fixtures__/fake-matrix-port.js";
import { createDelayedEventTransport } from "./create-delayed-event-transport.js";
import { DelayedEventNetworkError } from "./delayed-event-error.js";
import { detectDelayedEventsApi, specVersionAtLeast } from "./delayed-events-api.js";
import { parseDelayedEventLimits } from "./parse-delayed-event-limits.js";

describe("limits()", () => {
  it("reads Synapse's org.matrix.msc4140.delayed_events capability and caches it", async () => {
    const fake = createFakeMatrixPort({
      capabilities: {
        "org.matrix.msc4140.delayed_events": { max_delay_ms: 86_400_000, max_scheduled: 1000 },
      },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const expected = {
      supported: true,
      api: "unstable",
      maxDelayMs: 86_400_000,
      maxScheduled: 1000,
    };
    expect(await transport.limits()).toEqual(expected);
    expect(await transport.limits()).toEqual(expected);
    expect(fake.calls.capabilities).toBe(1);
  });

  it("prefers m.delayed_events on a stable server", async () => {
    const fake = createFakeMatrixPort({
      versions: STABLE_VERSIONS,
      capabilities: {
        "m.delayed_events": { max_delay_ms: 600_000 },
        "org.matrix.msc4140.delayed_events": { max_delay_ms: 1, max_scheduled: 1 },
      },
    });
    expect(await createDelayedEventTransport({ matrix: fake.port }).limits()).toEqual({
      supported: true,
      api: "stable",
      maxDelayMs: 600_000,
    });
  });

  it("a refused /capabilities gives limits without maxima; no reply is a network error", async () => {
    const refused = createFakeMatrixPort({
      capabilities: () => {
        throw matrixError(404, { errcode: "M_UNRECOGNIZED" });
      },
    });
    expect(await createDelayedEventTransport({ matrix: refused.port }).limits()).toEqual({
      supported: true,
      api: "unstable",
    });
    const offline = createFakeMatrixPort({
      capabilities: () => {
        throw connectionError();
      },
    });
    let caught: unknown;
    try {
      await createDelayedEventTransport({ matrix: offline.port }).limits();
    } catch (error) {
      caught = error;
    }
    expect(DelayedEventNetworkError.isInstance(caught)).toBe(true);
  });
});

describe("parseDelayedEventLimits", () => {
  it("accepts the whole /capabilities reply too, and ignores junk", () => {
    expect(
      parseDelayedEventLimits(
        { capabilities: { "m.delayed_events": { max_delay_ms: 5, max_scheduled: 2 } } },
        "stable",
      ),
    ).toEqual({ maxDelayMs: 5, maxScheduled: 2 });
    expect(
      parseDelayedEventLimits(
        { "m.delayed_events": { max_delay_ms: "5", max_scheduled: -2 } },
        "stable",
      ),
    ).toEqual({});
    expect(parseDelayedEventLimits(null, "unstable")).toEqual({});
    expect(parseDelayedEventLimits({ "m.delayed_events": [] }, "unstable")).toEqual({});
  });
});

describe("detectDelayedEventsApi", () => {
  it.each([
    [{ versions: ["v1.12"], unstableFeatures: { "org.matrix.msc4140": true } }, "unstable"],
    [{ versions: ["v1.12"], unstableFeatures: { "org.matrix.msc4140.stable": true } }, "stable"],
    [{ versions: ["v1.12", "v1.20"], unstableFeatures: {} }, "stable"],
    [{ versions: ["v2.0"], unstableFeatures: {} }, "stable"],
    [{ versions: ["v1.12"], unstableFeatures: { "org.matrix.msc4140": false } }, "none"],
    [{ versions: ["r0.6.1"], unstableFeatures: {} }, "none"],
  ] as const)("%j → %s", (versions, expected) => {
    expect(detectDelayedEventsApi(versions)).toBe(expected);
  });

  it("the spec version threshold is configurable and compares numerically", () => {
    expect(specVersionAtLeast("v1.9", "v1.10")).toBe(false);
    expect(specVersionAtLeast("v1.10", "v1.9")).toBe(true);
    expect(specVersionAtLeast("garbage", "v1.1")).toBe(false);
    expect(detectDelayedEventsApi({ versions: ["v1.18"], unstableFeatures: {} }, "v1.18")).toBe(
      "stable",
    );
  });
});
