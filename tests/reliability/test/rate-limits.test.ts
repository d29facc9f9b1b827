/**
 * Tight rate-limit proof (Synapse profile "tight-rate-limits": 3 requests in a burst, then 1/s for
 * messages and delayed-event management). A noisy second device of the same user drains the
 * management bucket just before some heartbeats, so those get 429. The member must stay in the call,
 * never spin, and never send its next request before the Retry-After it was given.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type SynapseHandle, startSynapse } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallMember, createCallMember } from "../src/call-member.js";
import { type CallRoom, setUpCallRoom } from "../src/call-room.js";
import { createCountingFetch } from "../src/counting-fetch.js";
import { PROOF_DELAY_MS } from "../src/proof-settings.js";
import { rawRequest } from "../src/raw-matrix.js";
import { recordMeasurement } from "../src/record-measurement.js";

const IN_CALL_MS = 30_000;
/** The scheduler's heartbeat period for an 8 s delay (its default 6 s). */
const RESTART_INTERVAL_MS = 6_000;
/** How long before the member's next heartbeat the noisy device drains the bucket. */
const DRAIN_LEAD_MS = 300;

let synapse: SynapseHandle;
let room: CallRoom;
let member: CallMember | undefined;

beforeAll(async () => {
  synapse = await startSynapse({ profile: "tight-rate-limits" });
  room = await setUpCallRoom(synapse, { memberCount: 1, concurrency: 1 });
}, 120_000);

afterAll(async () => {
  await member?.close().catch(() => undefined);
  await room?.watcher.stop();
  await synapse?.stop();
});

/**
 * Fires `burst` restarts of the noisy device's own delayed event at once: the user's management
 * bucket (3, then 1/s) is empty for about a second afterwards.
 */
async function drainBucket(
  account: { baseUrl: string; accessToken: string },
  delayId: string,
  burst = 5,
): Promise<number> {
  const results = await Promise.all(
    Array.from({ length: burst }, () =>
      rawRequest(
        account,
        "POST",
        `/_matrix/client/unstable/org.matrix.msc4140/delayed_events/${encodeURIComponent(delayId)}/restart`,
        { body: {} },
      ).then(
        () => false,
        () => true,
      ),
    ),
  );
  return results.filter(Boolean).length;
}

describe("under tight rate limits", () => {
  it("heartbeats keep the member in, nothing spins and Retry-After is honoured", async () => {
    const user = room.members[0];
    if (user === undefined) throw new Error("no member registered");
    const account = { baseUrl: synapse.baseUrl, accessToken: user.accessToken };
    // The noisy device's own long delayed event, whose restarts drain the user's bucket.
    const noiseKey = `noise-${user.deviceId}`;
    const { delay_id: noiseDelayId } = await rawRequest<{ delay_id: string }>(
      account,
      "PUT",
      `/_matrix/client/v3/rooms/${encodeURIComponent(room.roomId)}/state/io.mxrtc.test.noise/${noiseKey}?org.matrix.msc4140.delay=3600000`,
      { body: {} },
    );
    await sleep(3_500); // let the message bucket refill before joining

    const counting = createCountingFetch();
    member = createCallMember({
      baseUrl: synapse.baseUrl,
      accessToken: user.accessToken,
      userId: user.userId,
      deviceId: user.deviceId,
      roomId: room.roomId,
      delayMs: PROOF_DELAY_MS,
      fetch: counting.fetch,
    });
    const current = member;
    await current.join();
    const joined = await room.watcher.waitFor(
      () => room.watcher.isLive(current.stateKey) === true,
      { timeoutMs: 15_000, label: "observer sees the membership" },
    );
    const inCallStartTs = Date.now();
    // Every other heartbeat, drain the bucket just before the next one is due.
    const noiseResult = { bursts: 0, limited: 0 };
    const noiseTimers: NodeJS.Timeout[] = [];
    let heartbeats = 0;
    const unsubscribe = current.scheduler.on("delayed-leave-restarted", (heartbeat) => {
      heartbeats += 1;
      if (heartbeats % 2 === 1) return;
      const dueInMs = RESTART_INTERVAL_MS - heartbeat.roundTripMs - DRAIN_LEAD_MS;
      noiseTimers.push(
        setTimeout(
          () => {
            if (Date.now() - inCallStartTs > IN_CALL_MS - RESTART_INTERVAL_MS) return;
            noiseResult.bursts += 1;
            void drainBucket(account, noiseDelayId).then((limited) => {
              noiseResult.limited += limited;
            });
          },
          Math.max(0, dueInMs),
        ),
      );
    });
    await sleep(IN_CALL_MS);
    unsubscribe();
    for (const timer of noiseTimers) clearTimeout(timer);
    const inCallEndTs = Date.now();

    const requests = counting.requests.filter((request) => request.startTs >= inCallStartTs);
    const limited = counting.requests.filter((request) => request.status === 429);
    const earlyRetries = limited.flatMap((response) => {
      const next = counting.requests.find(
        (request) => response.endTs !== undefined && request.startTs >= response.endTs,
      );
      if (next === undefined || response.endTs === undefined) return [];
      const waitedMs = next.startTs - response.endTs;
      return waitedMs + 2 < (response.retryAfterMs ?? 0)
        ? [{ path: response.path, retryAfterMs: response.retryAfterMs, waitedMs }]
        : [];
    });
    const vanished = room.watcher.changes.filter(
      (change) =>
        change.stateKey === current.stateKey &&
        change.seenTs >= (joined?.seenTs ?? 0) &&
        !change.live,
    );
    const inCallSeconds = (inCallEndTs - inCallStartTs) / 1000;
    recordMeasurement("rate-limits", {
      delayMs: PROOF_DELAY_MS,
      inCallMs: inCallEndTs - inCallStartTs,
      memberRequestsInCall: requests.length,
      memberRequestsPerMinute: Math.round((requests.length / inCallSeconds) * 60 * 10) / 10,
      memberRequestsTotal: counting.requests.length,
      memberGot429: limited.length,
      retryAfterMs: limited.map((response) => response.retryAfterMs),
      waitsAfter429Ms: limited.map((response) => {
        const next = counting.requests.find(
          (request) => response.endTs !== undefined && request.startTs >= response.endTs,
        );
        return next === undefined || response.endTs === undefined
          ? null
          : next.startTs - response.endTs;
      }),
      noise: noiseResult,
      schedulerEvents: current.events
        .filter((event) => event.name !== "delayed-leave-restarted")
        .map((event) => `${event.name}${event.detail === undefined ? "" : ` ${event.detail}`}`),
    });

    expect(vanished, "the member was never removed").toEqual([]);
    expect(limited.length, "the noise provoked at least one 429 for the member").toBeGreaterThan(0);
    expect(earlyRetries, "requests sent before Retry-After elapsed").toEqual([]);
    // Nothing spins: at most one request per second on average while in the call.
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(inCallSeconds));
  }, 150_000);
});
