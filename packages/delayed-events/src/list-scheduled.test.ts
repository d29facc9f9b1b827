import { describe, expect, it } from "vitest";
import { createFakeHomeserver } from "./__fixtures__/fake-homeserver.js";
import { createDelayedEventTransport } from "./create-delayed-event-transport.js";
import { DelayedEventResponseError } from "./delayed-event-error.js";

const UNSTABLE = "/_matrix/client/unstable/org.matrix.msc4140";

const synapseEntry = {
  delay_id: "syd_1",
  room_id: "!r:hs",
  type: "org.matrix.msc3401.call.member",
  state_key: "_@a:hs_DEV_m.call",
  delay: 8000,
  running_since: 1_700_000_000_000,
  content: {},
};

describe("listScheduled", () => {
  it("reads Synapse's unstable listing (authenticated GET, no params)", async () => {
    const { matrix, seen } = createFakeHomeserver(() => ({
      status: 200,
      body: { delayed_events: [synapseEntry] },
    }));
    const events = await createDelayedEventTransport({ matrix }).listScheduled();
    expect(events).toEqual([
      {
        delayId: "syd_1",
        roomId: "!r:hs",
        eventType: "org.matrix.msc3401.call.member",
        stateKey: "_@a:hs_DEV_m.call",
        delayMs: 8000,
        runningSinceTs: 1_700_000_000_000,
        sendTs: 1_700_000_008_000,
        content: {},
      },
    ]);
    expect(seen[0]?.url.pathname).toBe(`${UNSTABLE}/delayed_events`);
    expect(seen[0]?.url.search).toBe("");
    expect(seen[0]?.authorization).toBe("Bearer token-1");
  });

  it("reads the head MSC shape (delay_ms, scheduled_at) on the stable endpoint with status=scheduled", async () => {
    const { matrix, seen } = createFakeHomeserver(
      () => ({
        status: 200,
        body: {
          delayed_events: [
            {
              delay_id: "s1",
              room_id: "!r:hs",
              type: "m.rtc.member",
              delay_ms: 5000,
              scheduled_at: 10,
              content: { sticky_key: "k" },
            },
          ],
        },
      }),
      { unstableFeatures: { "org.matrix.msc4140.stable": true } },
    );
    const events = await createDelayedEventTransport({ matrix }).listScheduled();
    expect(events).toEqual([
      {
        delayId: "s1",
        roomId: "!r:hs",
        eventType: "m.rtc.member",
        delayMs: 5000,
        runningSinceTs: 10,
        sendTs: 5010,
        content: { sticky_key: "k" },
      },
    ]);
    expect(seen[0]?.url.pathname).toBe("/_matrix/client/v1/delayed_events");
    expect(seen[0]?.url.searchParams.get("status")).toBe("scheduled");
  });

  it("follows next_batch pagination over the 2025-07 `scheduled` form", async () => {
    const pages: Record<string, unknown> = {
      "": { scheduled: [{ ...synapseEntry, delay_id: "p1" }], next_batch: "b2" },
      b2: { scheduled: [{ ...synapseEntry, delay_id: "p2" }], next_batch: "b3" },
      b3: { scheduled: [{ ...synapseEntry, delay_id: "p3" }] },
    };
    const { matrix, seen } = createFakeHomeserver((request) => ({
      status: 200,
      body: pages[request.url.searchParams.get("from") ?? ""],
    }));
    const events = await createDelayedEventTransport({ matrix }).listScheduled();
    expect(events.map((event) => event.delayId)).toEqual(["p1", "p2", "p3"]);
    expect(seen.map((request) => request.url.searchParams.get("from"))).toEqual([null, "b2", "b3"]);
  });

  it("stops on a repeated next_batch and after maxListPages", async () => {
    const looping = createFakeHomeserver(() => ({
      status: 200,
      body: { delayed_events: [synapseEntry], next_batch: "same" },
    }));
    const looped = await createDelayedEventTransport({ matrix: looping.matrix }).listScheduled();
    expect(looped).toHaveLength(2);
    let page = 0;
    const endless = createFakeHomeserver(() => ({
      status: 200,
      body: { delayed_events: [synapseEntry], next_batch: `t${++page}` },
    }));
    const diagnostics: string[] = [];
    const capped = await createDelayedEventTransport({
      matrix: endless.matrix,
      maxListPages: 4,
      onDiagnostic: (message) => diagnostics.push(message),
    }).listScheduled();
    expect(capped).toHaveLength(4);
    expect(diagnostics).toContain("listing: stopped after 4 pages");
  });

  it("skips malformed entries and reports them, never throwing", async () => {
    const { matrix } = createFakeHomeserver(() => ({
      status: 200,
      body: {
        delayed_events: [
          null,
          "text",
          { ...synapseEntry, delay_id: 5 },
          { ...synapseEntry, room_id: undefined },
          { ...synapseEntry, type: "" },
          { ...synapseEntry, state_key: 7 },
          { ...synapseEntry, delay: "8000" },
          { ...synapseEntry, delay: -1 },
          { ...synapseEntry, content: [] },
          { ...synapseEntry, running_since: "yesterday", delay_id: "ok-2" },
          synapseEntry,
        ],
      },
    }));
    const skipped: unknown[] = [];
    const events = await createDelayedEventTransport({
      matrix,
      onDiagnostic: (_message, detail) => skipped.push(detail),
    }).listScheduled();
    expect(events.map((event) => event.delayId)).toEqual(["ok-2", "syd_1"]);
    expect(events[0]?.runningSinceTs).toBeUndefined();
    expect(skipped).toHaveLength(9);
  });

  it.each([
    [{ delayed_events: { not: "a list" } }],
    [{ events: [] }],
    [[synapseEntry]],
    ["<html>"],
  ])("a reply with no list (%j) → DelayedEventResponseError", async (body) => {
    const { matrix } = createFakeHomeserver(() => ({ status: 200, body }));
    let caught: unknown;
    try {
      await createDelayedEventTransport({ matrix }).listScheduled();
    } catch (error) {
      caught = error;
    }
    expect(DelayedEventResponseError.isInstance(caught)).toBe(true);
  });

  it("falls back to GET …/delayed_events/scheduled when the plain listing is unrecognised", async () => {
    const { matrix, seen } = createFakeHomeserver((request) =>
      request.url.pathname.endsWith("/scheduled")
        ? { status: 200, body: { scheduled: [synapseEntry] } }
        : undefined,
    );
    const events = await createDelayedEventTransport({ matrix }).listScheduled();
    expect(events).toHaveLength(1);
    expect(seen.map((request) => request.url.pathname)).toEqual([
      `${UNSTABLE}/delayed_events`,
      `${UNSTABLE}/delayed_events/scheduled`,
    ]);
  });
});
