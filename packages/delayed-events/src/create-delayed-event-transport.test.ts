import { describe, expect, it } from "vitest";
import {
  createFakeMatrixPort,
  matrixError,
  NO_DELAYED_EVENTS_VERSIONS,
  STABLE_VERSIONS,
  SYNAPSE_VERSIONS,
  unrecognized,
} from "./__fixtures__/fake-matrix-port.js";
import { createDelayedEventTransport } from "./create-delayed-event-transport.js";
import {
  DelayedEventNotFoundError,
  DelayedEventResponseError,
  DelayedEventServerError,
  DelayedEventsUnsupportedError,
} from "./delayed-event-error.js";

const ROOM = "!room:example.org";
const ROOM_PATH = "!room%3Aexample.org";
const UNSTABLE = "/_matrix/client/unstable/org.matrix.msc4140";
const txnIds = () => {
  let next = 0;
  return () => `txn${++next}`;
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("scheduling, unstable (Synapse) form", () => {
  it("schedules a state event with ?org.matrix.msc4140.delay= on /state", async () => {
    const fake = createFakeMatrixPort({
      versions: SYNAPSE_VERSIONS,
      routes: {
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/state/org.matrix.msc3401.call.member/_%40a%3Ahs_DEV_m.call`]:
          { body: { delay_id: "syd_abc" } },
      },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const result = await transport.scheduleStateEvent({
      roomId: ROOM,
      eventType: "org.matrix.msc3401.call.member",
      stateKey: "_@a:hs_DEV_m.call",
      content: {},
      delayMs: 8000,
    });
    expect(result).toEqual({ delayId: "syd_abc" });
    expect(fake.requests).toEqual([
      {
        method: "PUT",
        path: `/_matrix/client/v3/rooms/${ROOM_PATH}/state/org.matrix.msc3401.call.member/_%40a%3Ahs_DEV_m.call`,
        query: { "org.matrix.msc4140.delay": 8000 },
        body: {},
      },
    ]);
  });

  it("schedules a sticky message event with delay and sticky duration on /send", async () => {
    const fake = createFakeMatrixPort({
      versions: SYNAPSE_VERSIONS,
      routes: {
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/org.matrix.msc4143.rtc.member/my-txn`]: {
          body: { delay_id: "d1" },
        },
      },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const content = { msc4354_sticky_key: "member-1" };
    await transport.scheduleMessageEvent({
      roomId: ROOM,
      eventType: "org.matrix.msc4143.rtc.member",
      content,
      delayMs: 10_000,
      stickyDurationMs: 3_600_000,
      txnId: "my-txn",
    });
    expect(fake.requests[0]).toEqual({
      method: "PUT",
      path: `/_matrix/client/v3/rooms/${ROOM_PATH}/send/org.matrix.msc4143.rtc.member/my-txn`,
      query: {
        "org.matrix.msc4140.delay": 10_000,
        "org.matrix.msc4354.sticky_duration_ms": 3_600_000,
      },
      body: content,
    });
  });

  it("makes a fresh transaction id per message when none is given", async () => {
    const fake = createFakeMatrixPort({
      versions: SYNAPSE_VERSIONS,
      routes: {
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.test/txn1`]: { body: { delay_id: "a" } },
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.test/txn2`]: { body: { delay_id: "b" } },
      },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port, createTxnId: txnIds() });
    const input = { roomId: ROOM, eventType: "m.test", content: {}, delayMs: 1000 };
    expect(await transport.scheduleMessageEvent(input)).toEqual({ delayId: "a" });
    expect(await transport.scheduleMessageEvent(input)).toEqual({ delayId: "b" });
  });

  it("default transaction ids are unique", async () => {
    const fake = createFakeMatrixPort({
      versions: SYNAPSE_VERSIONS,
      routes: {},
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const input = { roomId: ROOM, eventType: "m.test", content: {}, delayMs: 1000 };
    await rejection(transport.scheduleMessageEvent(input));
    await rejection(transport.scheduleMessageEvent(input));
    const [first, second] = fake.requests.map((request) => request.path);
    expect(first).toMatch(/\/send\/m\.test\/mxrtc-de-/);
    expect(first).not.toBe(second);
  });
});

describe("scheduling, stable form", () => {
  it("PUTs /delayed_event/{type}/{txnId} with delay_ms, delay, state_key and content", async () => {
    const path = `/_matrix/client/v3/rooms/${ROOM_PATH}/delayed_event/m.rtc.member/txn1`;
    const fake = createFakeMatrixPort({
      versions: STABLE_VERSIONS,
      routes: { [`PUT ${path}`]: { body: { delay_id: "stable-1" } } },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port, createTxnId: txnIds() });
    await transport.scheduleStateEvent({
      roomId: ROOM,
      eventType: "m.rtc.member",
      stateKey: "",
      content: { a: 1 },
      delayMs: 5000,
    });
    expect(fake.requests).toEqual([
      {
        method: "PUT",
        path,
        query: {},
        body: { delay_ms: 5000, delay: 5000, state_key: "", content: { a: 1 } },
      },
    ]);
  });

  it("message events carry no state_key; sticky goes in the query", async () => {
    const path = `/_matrix/client/v3/rooms/${ROOM_PATH}/delayed_event/m.rtc.member/t`;
    const fake = createFakeMatrixPort({
      versions: STABLE_VERSIONS,
      routes: { [`PUT ${path}`]: { body: { delay_id: "s" } } },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    await transport.scheduleMessageEvent({
      roomId: ROOM,
      eventType: "m.rtc.member",
      content: { b: 2 },
      delayMs: 5000,
      stickyDurationMs: 600_000,
      txnId: "t",
    });
    expect(fake.requests[0]?.body).toEqual({ delay_ms: 5000, delay: 5000, content: { b: 2 } });
    expect(fake.requests[0]?.query).toEqual({ "org.matrix.msc4354.sticky_duration_ms": 600_000 });
  });

  it("falls back to the unstable form on M_UNRECOGNIZED and remembers it", async () => {
    const fake = createFakeMatrixPort({
      versions: STABLE_VERSIONS,
      routes: {
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.test/txn1`]: {
          body: { delay_id: "u1" },
        },
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.test/txn2`]: {
          body: { delay_id: "u2" },
        },
      },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port, createTxnId: txnIds() });
    const input = { roomId: ROOM, eventType: "m.test", content: {}, delayMs: 1000 };
    expect(await transport.scheduleMessageEvent(input)).toEqual({ delayId: "u1" });
    expect(await transport.scheduleMessageEvent(input)).toEqual({ delayId: "u2" });
    expect(fake.requests.map((request) => request.path)).toEqual([
      `/_matrix/client/v3/rooms/${ROOM_PATH}/delayed_event/m.test/txn1`,
      `/_matrix/client/v3/rooms/${ROOM_PATH}/send/m.test/txn1`,
      `/_matrix/client/v3/rooms/${ROOM_PATH}/send/m.test/txn2`,
    ]);
  });

  it("falls back on 405 and on a 404 without errcode too", async () => {
    for (const error of [
      matrixError(405, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" }),
      matrixError(405, "<html>Method Not Allowed</html>"),
      matrixError(404, "<html>Not Found</html>"),
    ]) {
      const fake = createFakeMatrixPort({
        versions: STABLE_VERSIONS,
        routes: {
          [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/delayed_event/m.test/t`]: { error },
          [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.test/t`]: { body: { delay_id: "u" } },
        },
      });
      const transport = createDelayedEventTransport({ matrix: fake.port });
      const input = { roomId: ROOM, eventType: "m.test", content: {}, delayMs: 1, txnId: "t" };
      expect(await transport.scheduleMessageEvent(input)).toEqual({ delayId: "u" });
    }
  });

  it('api: "stable" uses only the stable forms and reports unsupported when they are unknown', async () => {
    const fake = createFakeMatrixPort({ versions: SYNAPSE_VERSIONS, routes: {} });
    const transport = createDelayedEventTransport({ matrix: fake.port, api: "stable" });
    const error = await rejection(
      transport.scheduleMessageEvent({ roomId: ROOM, eventType: "m.t", content: {}, delayMs: 1 }),
    );
    expect(DelayedEventsUnsupportedError.isInstance(error)).toBe(true);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toContain("/delayed_event/");
    expect(fake.calls.versions).toBe(0);
  });

  it('api: "unstable" skips detection', async () => {
    const fake = createFakeMatrixPort({
      versions: NO_DELAYED_EVENTS_VERSIONS,
      routes: {
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.t/t`]: { body: { delay_id: "x" } },
      },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port, api: "unstable" });
    const input = { roomId: ROOM, eventType: "m.t", content: {}, delayMs: 1, txnId: "t" };
    expect(await transport.scheduleMessageEvent(input)).toEqual({ delayId: "x" });
    expect(fake.calls.versions).toBe(0);
  });
});

describe("detection", () => {
  it("asks /versions once and reuses the answer", async () => {
    const fake = createFakeMatrixPort({
      versions: SYNAPSE_VERSIONS,
      routes: { [`POST ${UNSTABLE}/delayed_events/d/restart`]: { body: {} } },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    await transport.restart("d");
    await transport.restart("d");
    await transport.limits();
    expect(fake.calls.versions).toBe(1);
  });

  it("retries detection after a failed /versions", async () => {
    let attempts = 0;
    const fake = createFakeMatrixPort({
      versions: () => {
        attempts++;
        if (attempts === 1) throw matrixError(502, "bad gateway");
        return SYNAPSE_VERSIONS;
      },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const error = await rejection(transport.limits());
    expect(DelayedEventServerError.isInstance(error)).toBe(true);
    expect(await transport.limits()).toMatchObject({ supported: true, api: "unstable" });
  });

  it("no MSC4140 in /versions: unsupported without any request", async () => {
    const fake = createFakeMatrixPort({ versions: NO_DELAYED_EVENTS_VERSIONS });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    expect(await transport.limits()).toEqual({ supported: false, api: "none" });
    for (const call of [
      transport.scheduleStateEvent({
        roomId: ROOM,
        eventType: "m.t",
        stateKey: "",
        content: {},
        delayMs: 1,
      }),
      transport.restart("d"),
      transport.listScheduled(),
    ]) {
      expect(DelayedEventsUnsupportedError.isInstance(await rejection(call))).toBe(true);
    }
    expect(fake.requests).toHaveLength(0);
    expect(fake.calls.capabilities).toBe(0);
  });
});

describe("malformed scheduling replies", () => {
  const route = `PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.t/t`;
  const input = { roomId: ROOM, eventType: "m.t", content: {}, delayMs: 1, txnId: "t" };

  it.each([[{}], [{ delay_id: 42 }], [{ delay_id: "" }], [null], ["text"], [[1, 2]]])(
    "%j → DelayedEventResponseError",
    async (body) => {
      const fake = createFakeMatrixPort({ routes: { [route]: { body } } });
      const error = await rejection(
        createDelayedEventTransport({ matrix: fake.port }).scheduleMessageEvent(input),
      );
      expect(DelayedEventResponseError.isInstance(error)).toBe(true);
      expect(DelayedEventServerError.isInstance(error)).toBe(true);
      expect((error as DelayedEventResponseError).body).toEqual(body);
    },
  );

  it("an event_id instead of a delay_id means the server ignored the delay", async () => {
    const fake = createFakeMatrixPort({ routes: { [route]: { body: { event_id: "$sent" } } } });
    const error = await rejection(
      createDelayedEventTransport({ matrix: fake.port }).scheduleMessageEvent(input),
    );
    expect(DelayedEventsUnsupportedError.isInstance(error)).toBe(true);
    expect((error as DelayedEventsUnsupportedError).eventId).toBe("$sent");
  });
});

describe("caller abort", () => {
  it("rejects with the signal's own reason, unwrapped", async () => {
    const fake = createFakeMatrixPort({
      routes: { [`POST ${UNSTABLE}/delayed_events/d/restart`]: { body: {} } },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const controller = new AbortController();
    const reason = new DOMException("stop", "AbortError");
    controller.abort(reason);
    await transport.limits();
    expect(await rejection(transport.restart("d", { signal: controller.signal }))).toBe(reason);
    const custom = new AbortController();
    custom.abort("custom reason");
    expect(await rejection(transport.restart("d", { signal: custom.signal }))).toBe(
      "custom reason",
    );
  });

  it("one caller aborting during detection does not fail a concurrent caller", async () => {
    let release: (value: typeof SYNAPSE_VERSIONS) => void = () => undefined;
    const fake = createFakeMatrixPort({
      versions: () =>
        new Promise((resolve) => {
          release = resolve;
        }),
      routes: { [`POST ${UNSTABLE}/delayed_events/d/restart`]: { body: {} } },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const controller = new AbortController();
    const aborted = transport.restart("d", { signal: controller.signal });
    const other = transport.restart("d");
    const reason = new DOMException("stop", "AbortError");
    controller.abort(reason);
    expect(await rejection(aborted)).toBe(reason);
    release(SYNAPSE_VERSIONS);
    await other;
    expect(fake.calls.versions).toBe(1);
    expect(fake.requests).toHaveLength(1);
  });

  it("passes signal and timeoutMs to the port", async () => {
    const fake = createFakeMatrixPort({
      routes: { [`POST ${UNSTABLE}/delayed_events/d/send`]: { body: {} } },
    });
    const transport = createDelayedEventTransport({ matrix: fake.port });
    const controller = new AbortController();
    await transport.send("d", { signal: controller.signal, timeoutMs: 2000 });
    expect(fake.requests[0]).toMatchObject({ signal: controller.signal, timeoutMs: 2000 });
  });
});

describe("NotFound is only for management", () => {
  it("404 M_NOT_FOUND on scheduling (unknown room) is a server error", async () => {
    const fake = createFakeMatrixPort({
      routes: {
        [`PUT /_matrix/client/v3/rooms/${ROOM_PATH}/send/m.t/t`]: {
          error: matrixError(404, { errcode: "M_NOT_FOUND", error: "Unknown room" }),
        },
      },
    });
    const error = await rejection(
      createDelayedEventTransport({ matrix: fake.port }).scheduleMessageEvent({
        roomId: ROOM,
        eventType: "m.t",
        content: {},
        delayMs: 1,
        txnId: "t",
      }),
    );
    expect(DelayedEventNotFoundError.isInstance(error)).toBe(false);
    expect(error).toMatchObject({ code: "server", status: 404, errcode: "M_NOT_FOUND" });
  });

  it("every form unrecognised on management → unsupported, after trying each once", async () => {
    const fake = createFakeMatrixPort({ versions: STABLE_VERSIONS, routes: {} });
    const error = await rejection(createDelayedEventTransport({ matrix: fake.port }).cancel("d"));
    expect(DelayedEventsUnsupportedError.isInstance(error)).toBe(true);
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "POST /_matrix/client/v1/delayed_events/d/cancel",
      `POST ${UNSTABLE}/delayed_events/d/cancel`,
      `POST ${UNSTABLE}/delayed_events/d`,
    ]);
    expect(unrecognized().errcode).toBe("M_UNRECOGNIZED");
  });
});
