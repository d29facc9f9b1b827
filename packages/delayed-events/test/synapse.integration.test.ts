/**
 * Integration tests against a real Synapse (started by the stack's vitest global setup, default
 * config: `max_event_delay_duration: 24h`, 1000 scheduled events per user, generous rate limits).
 * The README's "What a real Synapse answers" table is taken from these tests.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { createMatrixClient, MatrixError, type MatrixPort } from "@mxrtc/matrix";
import { createCallRoom, registerUser } from "@mxrtc/stack";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  createDelayedEventTransport,
  DelayedEventNotFoundError,
  DelayedEventsUnsupportedError,
  type DelayedEventTransportV1,
  DelayTooLongError,
  TooManyDelayedEventsError,
} from "../src/index.js";

const synapse = inject("synapse");
const EVENT_TYPE = "org.matrix.msc3401.call.member";

let matrix: MatrixPort;
let transport: DelayedEventTransportV1;
let roomId: string;
let userId: string;

beforeAll(async () => {
  const user = await registerUser(synapse);
  userId = user.userId;
  matrix = createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: user.accessToken });
  transport = createDelayedEventTransport({ matrix });
  roomId = await createCallRoom(synapse, user);
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** The state event's content, or undefined while it does not exist. */
async function readState(stateKey: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await matrix.request<Record<string, unknown>>({
      method: "GET",
      path: `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/${EVENT_TYPE}/${encodeURIComponent(stateKey)}`,
    });
  } catch (error) {
    if (MatrixError.isInstance(error) && error.status === 404) return undefined;
    throw error;
  }
}

/** Poll until the state exists; returns how long it took (ms). */
async function waitForState(stateKey: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await readState(stateKey)) !== undefined) return Date.now() - started;
    await sleep(50);
  }
  throw new Error(`state ${stateKey} did not appear within ${timeoutMs} ms`);
}

let keyCounter = 0;
const freshKey = () => `_${userId}_DEV${++keyCounter}_m.call`;

function schedule(
  stateKey: string,
  delayMs: number,
  content: Record<string, unknown> = { fired: true },
) {
  return transport.scheduleStateEvent({
    roomId,
    eventType: EVENT_TYPE,
    stateKey,
    content,
    delayMs,
  });
}

describe("delayed events against a real Synapse", () => {
  it("reads the limits from the server", async () => {
    expect(await transport.limits()).toEqual({
      supported: true,
      api: "unstable",
      maxDelayMs: 86_400_000,
      maxScheduled: 1000,
    });
  });

  it("a delayed state event fires on its own after its delay", async () => {
    const stateKey = freshKey();
    const { delayId } = await schedule(stateKey, 1500);
    expect(delayId).toMatch(/\S/);
    expect(await readState(stateKey)).toBeUndefined();
    const waited = await waitForState(stateKey);
    expect(waited).toBeGreaterThan(1000);
    expect(await readState(stateKey)).toEqual({ fired: true });
  });

  it("restart pushes the deadline back", async () => {
    const stateKey = freshKey();
    const { delayId } = await schedule(stateKey, 2000);
    await sleep(1200);
    await transport.restart(delayId);
    await sleep(1300); // past the original deadline (2.0 s), before the new one (~3.2 s)
    expect(await readState(stateKey)).toBeUndefined();
    await waitForState(stateKey);
    expect(await readState(stateKey)).toEqual({ fired: true });
  });

  it("cancel: never fires; cancelling again is not found", async () => {
    const stateKey = freshKey();
    const { delayId } = await schedule(stateKey, 1000);
    await transport.cancel(delayId);
    await sleep(2000);
    expect(await readState(stateKey)).toBeUndefined();
    const again = await rejection(transport.cancel(delayId));
    expect(DelayedEventNotFoundError.isInstance(again)).toBe(true);
    expect(again).toMatchObject({ status: 404, errcode: "M_NOT_FOUND" });
    const sendAfterCancel = await rejection(transport.send(delayId));
    expect(sendAfterCancel).toMatchObject({
      code: "not-found",
      status: 404,
      errcode: "M_NOT_FOUND",
    });
  });

  it("send fires at once; a second send is not found", async () => {
    const stateKey = freshKey();
    const { delayId } = await schedule(stateKey, 60_000);
    await transport.send(delayId);
    expect(await waitForState(stateKey, 2000)).toBeLessThan(2000);
    const again = await rejection(transport.send(delayId));
    expect(again).toMatchObject({ code: "not-found", status: 404, errcode: "M_NOT_FOUND" });
  });

  it("listScheduled shows ours with the right fields", async () => {
    const stateKey = freshKey();
    const before = Date.now();
    const { delayId } = await schedule(stateKey, 120_000, { listed: 1 });
    const listed = (await transport.listScheduled()).find((event) => event.delayId === delayId);
    expect(listed).toMatchObject({
      delayId,
      roomId,
      eventType: EVENT_TYPE,
      stateKey,
      delayMs: 120_000,
      content: { listed: 1 },
    });
    expect(listed?.runningSinceTs).toBeGreaterThanOrEqual(before - 1000);
    expect(listed?.runningSinceTs).toBeLessThanOrEqual(Date.now() + 1000);
    expect(listed?.sendTs).toBe((listed?.runningSinceTs ?? 0) + 120_000);
    await transport.cancel(delayId);
    const after = await transport.listScheduled();
    expect(after.some((event) => event.delayId === delayId)).toBe(false);
  });

  it("a delay over the maximum (25 h) is DelayTooLongError with the maximum", async () => {
    const error = await rejection(schedule(freshKey(), 25 * 3_600_000));
    expect(DelayTooLongError.isInstance(error)).toBe(true);
    expect((error as DelayTooLongError).maxDelayMs).toBe(86_400_000);
    // What Synapse 1.163 answers (recorded in the README).
    expect({
      status: (error as DelayTooLongError).status,
      errcode: (error as DelayTooLongError).errcode,
    }).toEqual(OBSERVED.delayTooLong);
  });

  it("the 1001st scheduled event is TooManyDelayedEventsError (Synapse's 429) with retryAfterMs", async () => {
    const user = await registerUser(synapse);
    const own = createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: user.accessToken });
    const ownRoom = await createCallRoom(synapse, user);
    const ownTransport = createDelayedEventTransport({ matrix: own });
    const { maxScheduled } = await ownTransport.limits();
    expect(maxScheduled).toBe(1000);
    const input = (index: number) => ({
      roomId: ownRoom,
      eventType: "m.test.filler",
      content: { index },
      delayMs: 3_600_000,
    });
    for (let start = 0; start < 1000; start += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, offset) =>
          ownTransport.scheduleMessageEvent(input(start + offset)),
        ),
      );
    }
    const error = await rejection(ownTransport.scheduleMessageEvent(input(1000)));
    expect(TooManyDelayedEventsError.isInstance(error)).toBe(true);
    const tooMany = error as TooManyDelayedEventsError;
    expect({ status: tooMany.status, errcode: tooMany.errcode }).toEqual(OBSERVED.tooManyScheduled);
    expect(tooMany.maxScheduled).toBe(1000);
    expect(tooMany.retryAfterMs).toBeGreaterThan(3_000_000);
    expect(tooMany.retryAfterMs).toBeLessThanOrEqual(3_601_000);
    expect((await ownTransport.listScheduled()).length).toBe(1000);
  }, 120_000);

  it("a refused token (M_UNKNOWN_TOKEN): management retries without it, the delay id is enough", async () => {
    const stateKey = freshKey();
    const { delayId } = await schedule(stateKey, 60_000, { via: "capability" });
    const diagnostics: string[] = [];
    const stranger = createDelayedEventTransport({
      matrix: createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: "not-a-token" }),
      api: "unstable",
      onDiagnostic: (message) => diagnostics.push(message),
    });
    await stranger.restart(delayId);
    await stranger.send(delayId);
    await waitForState(stateKey, 2000);
    expect(await readState(stateKey)).toEqual({ via: "capability" });
    expect(diagnostics).toContain("management call: access token refused, retrying without it");
    const listing = await rejection(stranger.listScheduled());
    expect(listing).toMatchObject({ code: "server", status: 401, errcode: "M_UNKNOWN_TOKEN" });
  });

  it("an unknown delay id is not found for restart, cancel and send", async () => {
    for (const action of ["restart", "cancel", "send"] as const) {
      const error = await rejection(transport[action]("syd_doesnotexist"));
      expect(DelayedEventNotFoundError.isInstance(error), action).toBe(true);
      expect(error).toMatchObject({ status: 404, errcode: "M_NOT_FOUND" });
    }
  });

  it("a sticky delayed message event fires with its sticky duration", async () => {
    const stickyKey = `member-${Date.now()}`;
    const { delayId } = await transport.scheduleMessageEvent({
      roomId,
      eventType: "org.matrix.msc4143.rtc.member",
      content: { msc4354_sticky_key: stickyKey },
      delayMs: 1000,
      stickyDurationMs: 600_000,
    });
    const listed = (await transport.listScheduled()).find((event) => event.delayId === delayId);
    expect(listed).toMatchObject({ eventType: "org.matrix.msc4143.rtc.member", delayMs: 1000 });
    expect(listed?.stateKey).toBeUndefined();
    const started = Date.now();
    let fired: Record<string, unknown> | undefined;
    while (!fired && Date.now() - started < 10_000) {
      await sleep(100);
      const page = await matrix.request<{ chunk: Record<string, unknown>[] }>({
        method: "GET",
        path: `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages`,
        query: { dir: "b", limit: 20 },
      });
      fired = page.chunk.find(
        (event) =>
          (event.content as Record<string, unknown> | undefined)?.msc4354_sticky_key === stickyKey,
      );
    }
    expect(fired).toBeDefined();
    // Synapse 1.163 uses the unstable names on the event it sends.
    expect(fired?.msc4354_sticky).toEqual({ duration_ms: 600_000 });
    expect(
      (fired?.unsigned as Record<string, unknown> | undefined)?.["org.matrix.msc4140.delay_id"],
    ).toBe(delayId);
  });

  it('api: "stable" on Synapse: every stable form unrecognised → unsupported', async () => {
    const stable = createDelayedEventTransport({ matrix, api: "stable" });
    const error = await rejection(
      stable.scheduleStateEvent({
        roomId,
        eventType: EVENT_TYPE,
        stateKey: freshKey(),
        content: {},
        delayMs: 1000,
      }),
    );
    expect(DelayedEventsUnsupportedError.isInstance(error)).toBe(true);
    const cause = (error as Error).cause;
    expect(MatrixError.isInstance(cause)).toBe(true);
    expect({
      status: (cause as MatrixError).status,
      errcode: (cause as MatrixError).errcode,
    }).toEqual(OBSERVED.stableScheduleUnrecognized);
  });

  it("a server advertising stable but speaking unstable: falls back per operation and works", async () => {
    const diagnostics: string[] = [];
    const answers: unknown[] = [];
    const advertisingStable: Pick<MatrixPort, "request" | "versions" | "capabilities"> = {
      request: (request) => matrix.request(request),
      capabilities: (options) => matrix.capabilities(options),
      versions: async (options) => {
        const real = await matrix.versions(options);
        return {
          ...real,
          unstableFeatures: { ...real.unstableFeatures, "org.matrix.msc4140.stable": true },
        };
      },
    };
    const fallback = createDelayedEventTransport({
      matrix: advertisingStable,
      onDiagnostic: (message, detail) => {
        diagnostics.push(message);
        if (MatrixError.isInstance(detail))
          answers.push({ status: detail.status, errcode: detail.errcode });
      },
    });
    expect((await fallback.limits()).api).toBe("stable");
    const stateKey = freshKey();
    const { delayId } = await fallback.scheduleStateEvent({
      roomId,
      eventType: EVENT_TYPE,
      stateKey,
      content: { via: "fallback" },
      delayMs: 60_000,
    });
    expect((await fallback.listScheduled()).some((event) => event.delayId === delayId)).toBe(true);
    await fallback.restart(delayId);
    await fallback.send(delayId);
    await waitForState(stateKey, 2000);
    expect(diagnostics.filter((message) => message.includes("not recognised"))).toEqual([
      'schedule: form "stable" not recognised, trying the next',
      'list: form "stable" not recognised, trying the next',
      'manage: form "stable" not recognised, trying the next',
    ]);
    expect(answers).toEqual([
      OBSERVED.stableScheduleUnrecognized,
      OBSERVED.stableScheduleUnrecognized,
      OBSERVED.stableScheduleUnrecognized,
    ]);
  });
});

/** What the real Synapse answered; asserted above, copied into the README. */
const OBSERVED = {
  delayTooLong: { status: 400, errcode: "ORG.MATRIX.MSC4140_DELAY_TOO_LARGE" },
  stableScheduleUnrecognized: { status: 404, errcode: "M_UNRECOGNIZED" },
  tooManyScheduled: { status: 429, errcode: "M_LIMIT_EXCEEDED" },
};
