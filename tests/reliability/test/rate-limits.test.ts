/**
 * Tight rate-limit proof (Synapse profile "tight-rate-limits": 3 requests in a burst, then 1/s for
 * messages and delayed-event management). The same user, from the side, drains its message bucket
 * right before the join and its management bucket right before heartbeats. The member must stay
 * in the call, never spin, and never send its next request before the Retry-After it was given.
 *
 * Synapse holds every 429 for 0.5 s before answering (its rate limiter's `pause`).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type SynapseHandle, startSynapse } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CallMember, createCallMember } from "../src/call-member.js";
import { type CallRoom, setUpCallRoom } from "../src/call-room.js";
import { createCountingFetch, type RecordedRequest, requestKind } from "../src/counting-fetch.js";
import { PROOF_DELAY_MS } from "../src/proof-settings.js";
import { drainManagementBucketUntil, drainMessageBucket } from "../src/rate-limit-noise.js";
import { rawRequest } from "../src/raw-matrix.js";
import { recordMeasurement } from "../src/record-measurement.js";

const IN_CALL_MS = 30_000;
/** The scheduler's heartbeat period for an 8 s delay (its default 6 s). */
const RESTART_INTERVAL_MS = 6_000;
/** The noisy device drains the bucket from this long before the member's next heartbeat... */
const DRAIN_LEAD_MS = 600;
/** ...until this long after it. */
const DRAIN_TRAIL_MS = 200;

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
    await sleep(3_500); // let the message bucket refill
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
    // Keep the user's message bucket drained while joining, until the join's own requests
    // (schedule the delayed leave, send the membership) meet a 429 + Retry-After.
    const messageDrain = drainMessageBucket(account, room.roomId, {
      until: () => counting.requests.some((request) => request.status === 429),
      maxMs: 4_000,
    });
    await messageDrain.drained;
    const joinStartTs = Date.now();
    await current.join();
    const joinMs = Date.now() - joinStartTs;
    const joined = await room.watcher.waitFor(
      () => room.watcher.isLive(current.stateKey) === true,
      { timeoutMs: 15_000, label: "observer sees the membership" },
    );
    const inCallStartTs = Date.now();
    // After every heartbeat, drain the bucket just before the next one is due.
    const noiseResult = { bursts: 0, sent: 0, limited: 0, burstTs: [] as number[] };
    const noiseTimers: NodeJS.Timeout[] = [];
    const noiseRuns: Promise<void>[] = [];
    const unsubscribe = current.scheduler.on("delayed-leave-restarted", (heartbeat) => {
      const nextHeartbeatTs = Date.now() - heartbeat.roundTripMs + RESTART_INTERVAL_MS;
      const drain = () => {
        if (Date.now() - inCallStartTs > IN_CALL_MS - RESTART_INTERVAL_MS) return;
        noiseResult.bursts += 1;
        noiseResult.burstTs.push(Date.now() - inCallStartTs);
        noiseRuns.push(
          drainManagementBucketUntil(account, noiseDelayId, nextHeartbeatTs + DRAIN_TRAIL_MS).then(
            (result) => {
              noiseResult.sent += result.sent;
              noiseResult.limited += result.limited;
            },
          ),
        );
      };
      noiseTimers.push(
        setTimeout(drain, Math.max(0, nextHeartbeatTs - DRAIN_LEAD_MS - Date.now())),
      );
    });
    await sleep(IN_CALL_MS);
    unsubscribe();
    for (const timer of noiseTimers) clearTimeout(timer);
    await Promise.all(noiseRuns);
    const inCallEndTs = Date.now();

    const requests = counting.requests.filter((request) => request.startTs >= inCallStartTs);
    const limited = counting.requests.filter((request) => request.status === 429);
    // The next request of the same kind (same endpoint, so the same rate-limit bucket) must wait
    // out Retry-After. Other requests (the transport's capability/list look-ups that tell "too
    // many delayed events" from a rate limit) are recorded, not judged.
    const nextAfter = (response: RecordedRequest, sameKind: boolean) =>
      counting.requests.find(
        (request) =>
          response.endTs !== undefined &&
          request.startTs >= response.endTs &&
          (!sameKind || requestKind(request) === requestKind(response)),
      );
    const earlyRetries = limited.flatMap((response) => {
      const next = nextAfter(response, true);
      if (next === undefined || response.endTs === undefined) return [];
      const waitedMs = next.startTs - response.endTs;
      return waitedMs + 2 < (response.retryAfterMs ?? 0)
        ? [{ kind: requestKind(response), retryAfterMs: response.retryAfterMs, waitedMs }]
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
        const same = nextAfter(response, true);
        const any = nextAfter(response, false);
        return {
          kind: requestKind(response),
          sameKindAfterMs: same === undefined ? null : same.startTs - (response.endTs ?? 0),
          anyRequestAfterMs: any === undefined ? null : any.startTs - (response.endTs ?? 0),
          anyRequestKind: any === undefined ? null : requestKind(any),
        };
      }),
      joinMs,
      drainedMessages: await messageDrain.finished,
      heartbeatTimeouts: requests.filter(
        (request) => request.path.endsWith("/restart") && request.failure !== undefined,
      ).length,
      noise: noiseResult,
      memberRequests: counting.requests.map(
        (request) =>
          `${request.startTs - inCallStartTs} ${requestKind(request)} ${request.status ?? request.failure}`,
      ),
      schedulerEvents: current.events
        .filter((event) => event.name !== "delayed-leave-restarted")
        .map((event) => `${event.name}${event.detail === undefined ? "" : ` ${event.detail}`}`),
    });

    expect(vanished, "the member was never removed").toEqual([]);
    expect(limited.length, "the drained bucket gave the member at least one 429").toBeGreaterThan(
      0,
    );
    expect(earlyRetries, "requests sent before Retry-After elapsed").toEqual([]);
    // Nothing spins: at most one request per second on average while in the call.
    expect(requests.length).toBeLessThanOrEqual(Math.ceil(inCallSeconds));
  }, 150_000);
});
