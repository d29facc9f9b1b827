/**
 * Rate limiting against a real Synapse with the stack's `tight-rate-limits` profile
 * (`rc_message` and `rc_delayed_event_mgmt`: 1 per second, burst 3). Started here, not by the
 * project's global setup, because the shared server has generous limits.
 */
import { createMatrixClient } from "@mxrtc/matrix";
import { createCallRoom, registerUser, type SynapseHandle, startSynapse } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDelayedEventTransport,
  DelayedEventRateLimitedError,
  type DelayedEventTransportV1,
  TooManyDelayedEventsError,
} from "../src/index.js";

let synapse: SynapseHandle | undefined;
let transport: DelayedEventTransportV1;
let roomId: string;

beforeAll(async () => {
  synapse = await startSynapse({ profile: "tight-rate-limits" });
  const user = await registerUser(synapse);
  roomId = await createCallRoom(synapse, user);
  transport = createDelayedEventTransport({
    matrix: createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: user.accessToken }),
  });
}, 120_000);

afterAll(async () => {
  await synapse?.stop();
});

/** Run `call` until it throws (at most `attempts` times); return the error. */
async function firstFailure(call: () => Promise<unknown>, attempts = 20): Promise<unknown> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      await call();
    } catch (error) {
      return error;
    }
  }
  throw new Error(`no failure in ${attempts} attempts`);
}

describe("rate limiting on a real Synapse (tight limits)", () => {
  it("a burst of scheduling is rate limited, not 'too many scheduled'", async () => {
    const error = await firstFailure(() =>
      transport.scheduleMessageEvent({
        roomId,
        eventType: "m.test.burst",
        content: {},
        delayMs: 600_000,
      }),
    );
    expect(DelayedEventRateLimitedError.isInstance(error)).toBe(true);
    expect(TooManyDelayedEventsError.isInstance(error)).toBe(false);
    const limited = error as DelayedEventRateLimitedError;
    // Plain rate limiting names itself; the per-user cap says "maximum number of delayed events".
    expect(limited.body).toMatchObject({ error: "Too Many Requests" });
    expect({ status: limited.status, errcode: limited.errcode }).toEqual({
      status: 429,
      errcode: "M_LIMIT_EXCEEDED",
    });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });

  it("a burst of restarts is rate limited with retryAfterMs", async () => {
    await new Promise((resolve) => setTimeout(resolve, 4000)); // let the message bucket refill
    const { delayId } = await transport.scheduleMessageEvent({
      roomId,
      eventType: "m.test.restart",
      content: {},
      delayMs: 600_000,
    });
    const error = await firstFailure(() => transport.restart(delayId));
    expect(DelayedEventRateLimitedError.isInstance(error)).toBe(true);
    const limited = error as DelayedEventRateLimitedError;
    // Plain rate limiting names itself; the per-user cap says "maximum number of delayed events".
    expect(limited.body).toMatchObject({ error: "Too Many Requests" });
    expect({ status: limited.status, errcode: limited.errcode }).toEqual({
      status: 429,
      errcode: "M_LIMIT_EXCEEDED",
    });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });
});
