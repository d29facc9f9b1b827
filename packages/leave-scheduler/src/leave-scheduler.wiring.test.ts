import { createDelayedEventTransport } from "@mxrtc/delayed-events";
import { createMatrixClient } from "@mxrtc/matrix";
import { describe, expect, it } from "vitest";
import { createFakeClock } from "../test/fake-clock.js";
import { createLeaveScheduler } from "./leave-scheduler.js";

const ROOM = "!call:example.org";
const TYPE = "org.matrix.msc3401.call.member";
const KEY = "_@alice:example.org_DEVICE_m.call";

/**
 * The real @mxrtc/matrix client and @mxrtc/delayed-events transport over a fake fetch that
 * answers like Synapse's unstable MSC4140 API: proves the wiring of the README example and that
 * the real error classes drive the scheduler.
 */
function createSynapseLikeFetch(options: { restartNotFound?: number } = {}) {
  const seen: string[] = [];
  let restartNotFound = options.restartNotFound ?? 0;
  let counter = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const method = init?.method ?? "GET";
    const reply = (status: number, body: unknown) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": "application/json" },
      });
    if (url.pathname === "/_matrix/client/versions") {
      return reply(200, { versions: ["v1.12"], unstable_features: { "org.matrix.msc4140": true } });
    }
    if (url.pathname === "/_matrix/client/v3/capabilities") return reply(200, { capabilities: {} });
    const delay = url.searchParams.get("org.matrix.msc4140.delay");
    seen.push(`${method} ${decodeURIComponent(url.pathname)}${delay ? ` delay=${delay}` : ""}`);
    if (method === "PUT" && url.pathname.includes("/state/")) {
      if (delay) {
        counter += 1;
        return reply(200, { delay_id: `syn-${counter}` });
      }
      return reply(200, { event_id: "$member" });
    }
    const management = /\/delayed_events\/([^/]+)\/(restart|send|cancel)$/.exec(url.pathname);
    if (method === "POST" && management) {
      if (management[2] === "restart" && restartNotFound > 0) {
        restartNotFound -= 1;
        return reply(404, { errcode: "M_NOT_FOUND", error: "Delayed event not found" });
      }
      return reply(200, {});
    }
    return reply(404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });
  };
  return { fetch: fetch as typeof globalThis.fetch, seen };
}

describe("wiring with the real Matrix client and delayed-event transport", () => {
  it("joins, heartbeats, rejoins after a 404 and leaves through HTTP", async () => {
    const clock = createFakeClock();
    const server = createSynapseLikeFetch();
    const matrix = createMatrixClient({
      baseUrl: "http://127.0.0.1:1",
      accessToken: "t",
      fetch: server.fetch,
      defaultTimeoutMs: 0,
    });
    const scheduler = createLeaveScheduler({
      delayedEvents: createDelayedEventTransport({ matrix, api: "unstable" }),
      matrix,
      leave: { kind: "state", roomId: ROOM, eventType: TYPE, stateKey: KEY, content: {} },
      clock,
    });
    const joining = scheduler.join(async ({ signal }) => {
      await matrix.sendStateEvent(ROOM, TYPE, KEY, { application: "m.call" }, { signal });
    });
    await clock.advance(0);
    await joining;
    await clock.advance(0);
    expect(server.seen).toEqual([
      `PUT /_matrix/client/v3/rooms/${ROOM}/state/${TYPE}/${KEY} delay=8000`,
      `PUT /_matrix/client/v3/rooms/${ROOM}/state/${TYPE}/${KEY}`,
      "POST /_matrix/client/unstable/org.matrix.msc4140/delayed_events/syn-1/restart",
    ]);
    expect(scheduler.state).toBe("joined");

    await scheduler.leave();
    expect(server.seen.at(-1)).toBe(
      "POST /_matrix/client/unstable/org.matrix.msc4140/delayed_events/syn-1/send",
    );
    expect(scheduler.state).toBe("left");
    await scheduler.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it("maps a real 404 on restart to re-arm then rejoin", async () => {
    const clock = createFakeClock();
    const server = createSynapseLikeFetch({ restartNotFound: 1 });
    const matrix = createMatrixClient({
      baseUrl: "http://127.0.0.1:1",
      accessToken: "t",
      fetch: server.fetch,
      defaultTimeoutMs: 0,
    });
    const scheduler = createLeaveScheduler({
      delayedEvents: createDelayedEventTransport({ matrix, api: "unstable" }),
      matrix,
      leave: { kind: "state", roomId: ROOM, eventType: TYPE, stateKey: KEY, content: {} },
      clock,
    });
    const joining = scheduler.join(async ({ signal }) => {
      await matrix.sendStateEvent(ROOM, TYPE, KEY, { application: "m.call" }, { signal });
    });
    await clock.advance(0);
    await joining;
    await clock.advance(0);
    expect(server.seen.slice(2)).toEqual([
      "POST /_matrix/client/unstable/org.matrix.msc4140/delayed_events/syn-1/restart",
      `PUT /_matrix/client/v3/rooms/${ROOM}/state/${TYPE}/${KEY} delay=8000`,
      "POST /_matrix/client/unstable/org.matrix.msc4140/delayed_events/syn-1/cancel",
      `PUT /_matrix/client/v3/rooms/${ROOM}/state/${TYPE}/${KEY}`,
      "POST /_matrix/client/unstable/org.matrix.msc4140/delayed_events/syn-2/restart",
    ]);
    expect(scheduler.delayId).toBe("syn-2");
    await scheduler.close({ leave: false });
  });
});
