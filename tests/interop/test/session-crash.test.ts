/**
 * Graceful and ungraceful ends of our real `@mxrtc/session`, watched by a matrix-js-sdk 43
 * MatrixRTCSession: `session.close()` while joined leaves at once; a crash (the leave scheduler
 * closed with `{ leave: false }`, then the session closed: no request leaves the process) is
 * cleaned up by the homeserver firing our MSC4140 delayed leave, within delay + 2 s.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import type { RtcTransport } from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { type OurSession, startOurSession } from "../src/our-session.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const jsSdkMembers: JsSdkMember[] = [];
const ourSessions: OurSession[] = [];

afterEach(async () => {
  await Promise.all(ourSessions.splice(0).map((ours) => ours.close()));
  await Promise.all(jsSdkMembers.splice(0).map((member) => member.stop()));
});

/** A room where js-sdk (Alice, not in the call) watches our session (Bob) join. */
async function joinedPair(delayMs: number): Promise<{ jsSdk: JsSdkMember; ours: OurSession }> {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, bob, roomId);
  const jsSdk = await startJsSdkMember(synapse, alice, roomId);
  jsSdkMembers.push(jsSdk);
  const transport: RtcTransport = {
    type: "livekit",
    livekit_service_url: "http://127.0.0.1:1/bob",
    livekit_alias: roomId,
  };
  const ours = await startOurSession(synapse, bob, roomId, {
    transport,
    scheduler: { delayMs },
  });
  ourSessions.push(ours);
  await ours.join();
  await waitUntil(() => jsSdk.memberships().some((m) => m.userId === bob.userId) || undefined, {
    description: "js-sdk lists our session",
  });
  return { jsSdk, ours };
}

/** Resolves with the time js-sdk stops listing `userId` (polled every 20 ms). */
function vanishTs(jsSdk: JsSdkMember, userId: string, timeoutMs: number): Promise<number> {
  return waitUntil(
    () => (jsSdk.memberships().some((m) => m.userId === userId) ? undefined : Date.now()),
    { description: `js-sdk drops ${userId}`, timeoutMs, intervalMs: 20 },
  );
}

it("graceful: session.close() while joined leaves at once, long before the delayed leave", async () => {
  const delayMs = 8_000;
  const { jsSdk, ours } = await joinedPair(delayMs);
  const closeTs = Date.now();
  await ours.close();
  const goneTs = await vanishTs(jsSdk, ours.user.userId, delayMs);
  console.log(`[session-crash] graceful close: js-sdk dropped us after ${goneTs - closeTs} ms`);
  expect(goneTs - closeTs).toBeLessThan(2_000);
  expect(ours.session.joinState).toBe("left");
});

it("ungraceful: a crashed session (scheduler closed without leaving) vanishes when the delayed leave fires", async () => {
  const delayMs = 4_000;
  const { jsSdk, ours } = await joinedPair(delayMs);
  const scheduler = ours.session.scheduler;
  if (scheduler === undefined) throw new Error("a joined session has a scheduler");
  // Let at least one heartbeat (restart) pass, so the fire time is set by the last restart.
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  expect(jsSdk.memberships().some((m) => m.userId === ours.user.userId)).toBe(true);

  const crashTs = Date.now();
  await scheduler.close({ leave: false });
  await ours.close();
  const goneTs = await vanishTs(jsSdk, ours.user.userId, delayMs + 10_000);

  // Nothing but (aborted) sync long-polls left the process after the crash: no leave was sent.
  const afterCrash = ours.requests.filter(
    (request) => request.ts >= crashTs && !request.path.endsWith("/sync"),
  );
  expect(afterCrash).toEqual([]);
  const lastRestart = ours.requests.filter(
    (request) =>
      request.ts < crashTs && request.method === "POST" && request.path.endsWith("/restart"),
  );
  expect(lastRestart.length).toBeGreaterThan(0);
  const lastRestartTs = lastRestart.at(-1)?.ts ?? crashTs;
  console.log(
    `[session-crash] crash: js-sdk dropped us ${goneTs - crashTs} ms after the crash, ${goneTs - lastRestartTs} ms after the last restart (delay ${delayMs} ms, ${lastRestart.length} restarts before)`,
  );
  // The leave fired on the homeserver's timer: not before the delay since the last restart,
  // and within delay + 2 s of the crash.
  expect(goneTs - lastRestartTs).toBeGreaterThanOrEqual(delayMs - 250);
  expect(goneTs - crashTs).toBeLessThanOrEqual(delayMs + 2_000);
});
