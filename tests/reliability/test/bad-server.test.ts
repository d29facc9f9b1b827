/**
 * Bad server behaviour: malformed JSON, a 500, a hang and an unknown errcode each give a typed
 * error or a bounded retry, never an unhandled rejection. A fake homeserver on 127.0.0.1 misbehaves;
 * the real matrix client, delayed-event transport and leave scheduler run on top.
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  createDelayedEventTransport,
  DelayedEventError,
  DelayedEventNetworkError,
  DelayedEventResponseError,
  DelayedEventServerError,
  type DelayedEventTransportV1,
} from "@mxrtc/delayed-events";
import { createLeaveScheduler, LeaveSchedulerError } from "@mxrtc/leave-scheduler";
import {
  createMatrixClient,
  MatrixConnectionError,
  MatrixError,
  MatrixPortError,
  MatrixResponseError,
} from "@mxrtc/matrix";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MISBEHAVIOURS,
  type MisbehavingHomeserver,
  type Misbehaviour,
  startMisbehavingHomeserver,
  UNKNOWN_ERRCODE,
} from "../src/misbehaving-homeserver.js";
import { recordMeasurement } from "../src/record-measurement.js";
import {
  trapUnhandledRejections,
  type UnhandledRejectionTrap,
} from "../src/unhandled-rejections.js";

const ROOM_ID = "!call:fake";
const EVENT_TYPE = "org.matrix.msc3401.call.member";
const STATE_KEY = "_@member:fake_DEVICE_m.call";

let server: MisbehavingHomeserver;
const observed: Record<string, unknown>[] = [];

afterAll(() => {
  recordMeasurement("bad-server", { observed });
});

function describeError(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  return `${String(name)}(${String(code)}): ${String(message)}`;
}
let trap: UnhandledRejectionTrap;

beforeEach(async () => {
  trap = trapUnhandledRejections();
  server = await startMisbehavingHomeserver();
});

afterEach(async () => {
  // Give stray promises a chance to reject unhandled before checking.
  await sleep(100);
  trap.dispose();
  await server.close();
  expect(trap.reasons, "unhandled rejections").toEqual([]);
});

function stack(requestTimeoutMs = 500) {
  const matrix = createMatrixClient({
    baseUrl: server.baseUrl,
    accessToken: "fake-token",
    userId: "@member:fake",
    deviceId: "DEVICE",
    defaultTimeoutMs: requestTimeoutMs,
  });
  const delayedEvents = createDelayedEventTransport({ matrix, api: "unstable" });
  return { matrix, delayedEvents };
}

function schedulerFor(parts: ReturnType<typeof stack>) {
  return createLeaveScheduler({
    delayedEvents: parts.delayedEvents,
    matrix: parts.matrix,
    leave: {
      kind: "state",
      roomId: ROOM_ID,
      eventType: EVENT_TYPE,
      stateKey: STATE_KEY,
      content: {},
    },
    delayMs: 2_000,
    restartIntervalMs: 1_000,
    restartTimeoutMs: 400,
    requestTimeoutMs: 500,
    membershipTimeoutMs: 500,
    maximumTransientRetries: 3,
    maximumRateLimitRetries: 3,
  });
}

/** Settles `promise` into a value or the rejection reason. */
async function outcome(
  promise: Promise<unknown>,
): Promise<{ ok: true } | { ok: false; error: unknown }> {
  try {
    await promise;
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

function expectTypedDelayedEventError(error: unknown, behaviour: Misbehaviour): void {
  expect(
    DelayedEventError.isInstance(error),
    `DelayedEventError for ${behaviour}: ${String(error)}`,
  ).toBe(true);
  switch (behaviour) {
    case "malformed-json":
      expect(DelayedEventResponseError.isInstance(error)).toBe(true);
      break;
    case "server-error":
      expect(DelayedEventServerError.isInstance(error)).toBe(true);
      expect((error as DelayedEventError).status).toBe(500);
      break;
    case "hang":
      expect(DelayedEventNetworkError.isInstance(error)).toBe(true);
      break;
    case "unknown-errcode":
      expect((error as DelayedEventError).errcode).toBe(UNKNOWN_ERRCODE);
      break;
  }
}

describe.each(MISBEHAVIOURS)("a homeserver answering with %s", (behaviour) => {
  it("makes the matrix client reject with its typed error", async () => {
    const { matrix } = stack();
    server.misbehave(behaviour);
    const result = await outcome(
      matrix.sendStateEvent(ROOM_ID, EVENT_TYPE, STATE_KEY, { application: "m.call" }),
    );
    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(MatrixPortError.isInstance(error), String(error)).toBe(true);
    if (behaviour === "malformed-json") expect(MatrixResponseError.isInstance(error)).toBe(true);
    if (behaviour === "server-error") {
      expect(MatrixError.isInstance(error) && error.status === 500).toBe(true);
    }
    if (behaviour === "hang") {
      expect(MatrixConnectionError.isInstance(error) && error.reason === "timeout").toBe(true);
    }
    if (behaviour === "unknown-errcode") {
      expect(MatrixError.isInstance(error) && error.errcode === UNKNOWN_ERRCODE).toBe(true);
    }
  });

  it("makes every delayed-event call reject with a typed DelayedEventError", async () => {
    const { delayedEvents } = stack();
    server.misbehave(behaviour);
    const calls: [string, (transport: DelayedEventTransportV1) => Promise<unknown>][] = [
      [
        "scheduleStateEvent",
        (transport) =>
          transport.scheduleStateEvent({
            roomId: ROOM_ID,
            eventType: EVENT_TYPE,
            stateKey: STATE_KEY,
            content: {},
            delayMs: 8_000,
          }),
      ],
      ["restart", (transport) => transport.restart("some-delay-id")],
      ["cancel", (transport) => transport.cancel("some-delay-id")],
      ["send", (transport) => transport.send("some-delay-id")],
      ["listScheduled", (transport) => transport.listScheduled()],
    ];
    for (const [name, call] of calls) {
      const result = await outcome(call(delayedEvents));
      // A management call whose 200 body is garbage may reasonably count as done.
      if (
        result.ok &&
        behaviour === "malformed-json" &&
        ["restart", "cancel", "send"].includes(name)
      ) {
        continue;
      }
      expect(result.ok, `${name} must fail`).toBe(false);
      if (!result.ok) expectTypedDelayedEventError(result.error, behaviour);
    }
  });

  it("makes the leave scheduler's join fail typed or retry boundedly, and close cleanly", async () => {
    const scheduler = schedulerFor(stack());
    const errors: unknown[] = [];
    scheduler.on("error", (event) => errors.push(event.error));
    server.misbehave(behaviour);
    const startTs = Date.now();
    let settled: { ok: true } | { ok: false; error: unknown } | undefined;
    const joining = outcome(scheduler.join(async () => {})).then((result) => {
      settled = result;
    });
    await Promise.race([joining, sleep(6_000)]);
    const elapsedS = (Date.now() - startTs) / 1000;
    const attempts = server.count("/state/");
    if (settled === undefined) {
      // Still trying: it must be retrying, and not spinning.
      expect(attempts, "retries while join is pending").toBeGreaterThanOrEqual(2);
    } else if (!settled.ok) {
      expect(
        LeaveSchedulerError.isInstance(settled.error) ||
          DelayedEventError.isInstance(settled.error) ||
          MatrixPortError.isInstance(settled.error),
        `typed join error: ${String(settled.error)}`,
      ).toBe(true);
    } else {
      // A join that "succeeds" against a server that never armed the leave would be a lie.
      expect.fail(`join resolved although the server ${behaviour}`);
    }
    observed.push({
      behaviour,
      case: "join",
      outcome:
        settled === undefined
          ? "still retrying"
          : settled.ok
            ? "resolved"
            : `rejected ${describeError(settled.error)}`,
      attempts,
      elapsedMs: Math.round(elapsedS * 1000),
      errorEvents: errors.map(describeError),
    });
    // Bounded: no more than 20 attempts in the whole window (the scheduler's budget is 3 retries).
    expect(attempts, "schedule attempts").toBeLessThanOrEqual(20);
    for (const error of errors) expect(LeaveSchedulerError.isInstance(error)).toBe(true);
    await expect(
      Promise.race([scheduler.close(), sleep(5_000).then(() => "close hung")]),
    ).resolves.not.toBe("close hung");
    await joining;
  }, 20_000);

  it("keeps a joined scheduler alive through misbehaving heartbeats and recovers", async () => {
    const scheduler = schedulerFor(stack());
    const errors: unknown[] = [];
    scheduler.on("error", (event) => errors.push(event.error));
    const sent: number[] = [];
    await scheduler.join(async () => {
      sent.push(Date.now());
    });
    expect(scheduler.state).toBe("joined");
    const spoiledFromTs = Date.now();
    server.misbehave(behaviour, (path) => path.includes("/delayed_events/"));
    await sleep(1_800);
    server.misbehave(undefined);
    const behavingTs = Date.now();
    const spoiled = server.requests.filter((request) => request.spoiled);
    // Recovery: a heartbeat succeeds again, or the scheduler re-armed and re-sent.
    const recovered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 8_000);
      const check = () => {
        if (
          scheduler.state === "joined" &&
          server.requests.some(
            (r) => r.ts > behavingTs && !r.spoiled && r.path.includes("/delayed_events/"),
          )
        ) {
          clearTimeout(timer);
          resolve(true);
        } else setTimeout(check, 100);
      };
      check();
    });
    expect(spoiled.length, "heartbeats hit the misbehaving server").toBeGreaterThan(0);
    observed.push({
      behaviour,
      case: "heartbeat",
      spoiledRequests: spoiled.length,
      spoiledForMs: behavingTs - spoiledFromTs,
      recovered,
      finalState: scheduler.state,
      errorEvents: errors.map(describeError),
    });
    expect(spoiled.length / ((behavingTs - spoiledFromTs) / 1000), "no spinning").toBeLessThan(20);
    expect(recovered, `back to joined with working heartbeats (state ${scheduler.state})`).toBe(
      true,
    );
    for (const error of errors) expect(LeaveSchedulerError.isInstance(error)).toBe(true);
    await scheduler.leave();
    await scheduler.close();
  }, 20_000);
});
