/**
 * A restart after a crash (a reloaded page, a restarted process): a new `@mxrtc/session` for the
 * same user and device joins while the crashed instance's delayed leave is still scheduled. Its
 * first write is the same legacy content at the same state key, which Synapse deduplicates (the
 * PUT returns the crashed instance's event id; no new event). With a `DelayIdStorage` shared by
 * both instances the new one cancels the stale leave first and matrix-js-sdk 43 never loses us;
 * without it the stale leave fires into the new membership, and the session sees its membership
 * vanish and restores it (re-arm, re-send), and js-sdk lists the restored event.
 */
import { createMemoryDelayIdStorage, type DelayIdStorage } from "@mxrtc/leave-scheduler";
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import type { RtcTransport } from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { type OurSession, type RecordedRequest, startOurSession } from "../src/our-session.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const DELAY_MS = 4_000;
const jsSdkMembers: JsSdkMember[] = [];
const ourSessions: OurSession[] = [];

afterEach(async () => {
  await Promise.all(ourSessions.splice(0).map((ours) => ours.close()));
  await Promise.all(jsSdkMembers.splice(0).map((member) => member.stop()));
});

/** Direct membership writes (not the delayed leave, which carries `?org.matrix.msc4140.delay=`). */
const membershipWrites = (requests: readonly RecordedRequest[]) =>
  requests.filter(
    (request) =>
      request.method === "PUT" &&
      request.path.includes("/state/org.matrix.msc3401.call.member/") &&
      !request.query.includes("delay"),
  );

/** Crashes a joined session (no request leaves), then starts and joins its successor. */
async function crashAndRestart(storage: DelayIdStorage | undefined) {
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
  const scheduler = { delayMs: DELAY_MS, ...(storage === undefined ? {} : { storage }) };
  const first = await startOurSession(synapse, bob, roomId, { transport, scheduler });
  ourSessions.push(first);
  await first.join();
  await waitUntil(() => jsSdk.memberships().some((m) => m.userId === bob.userId) || undefined, {
    description: "js-sdk lists the first instance",
  });
  await first.session.scheduler?.close({ leave: false });
  await first.close();
  const crashTs = Date.now();

  // Watch js-sdk from the crash on: every moment it does not list us.
  const absences: number[] = [];
  const watcher = setInterval(() => {
    if (!jsSdk.memberships().some((m) => m.userId === bob.userId)) absences.push(Date.now());
  }, 20);
  const second = await startOurSession(synapse, bob, roomId, { transport, scheduler });
  ourSessions.push(second);
  await second.join();
  const joined = second.session.memberships.find((m) => m.isLocal);
  if (joined === undefined) throw new Error("the second instance does not list itself");
  return {
    jsSdk,
    bob,
    second,
    joined,
    crashTs,
    absences,
    stopWatching: () => clearInterval(watcher),
  };
}

it("with a shared DelayIdStorage the new instance cancels the stale delayed leave: js-sdk never loses us", async () => {
  const run = await crashAndRestart(createMemoryDelayIdStorage());
  // Wait past the moment the stale leave would have fired.
  await new Promise((resolve) => setTimeout(resolve, run.crashTs + DELAY_MS + 2_000 - Date.now()));
  run.stopWatching();
  // js-sdk lists us all the time, with the one event both instances wrote; no rejoin was needed.
  const theirs = run.jsSdk.memberships().filter((m) => m.userId === run.bob.userId);
  expect(theirs.map((m) => m.eventId)).toEqual([run.joined.eventId]);
  expect(run.second.session.memberships.find((m) => m.isLocal)?.eventId).toBe(run.joined.eventId);
  expect(run.second.session.joinState).toBe("joined");
  expect(run.absences).toEqual([]);
  expect(theirs[0]?.createdTs()).toBe(run.joined.createdTs);
  expect(membershipWrites(run.second.requests)).toHaveLength(1);
  console.log(
    `[session-restart] shared storage: js-sdk listed us throughout ${DELAY_MS + 2_000} ms after the crash`,
  );
});

it("without a storage the stale delayed leave knocks the new membership out and the session restores it", async () => {
  const run = await crashAndRestart(undefined);
  const restored = await waitUntil(
    () => run.second.session.memberships.find((m) => m.isLocal && m.eventId !== run.joined.eventId),
    {
      description: "the second instance restores its membership after the stale leave",
      timeoutMs: DELAY_MS + 10_000,
      explain: () =>
        JSON.stringify(
          {
            joined: run.joined.eventId,
            joinState: run.second.session.joinState,
            scheduler: run.second.session.scheduler?.state,
            memberships: run.second.session.memberships.map((m) => [
              m.userId,
              m.eventId,
              m.isLocal,
            ]),
            requests: run.second.requests
              .filter((r) => !r.path.endsWith("/sync"))
              .map((r) => `${r.ts - run.crashTs} ${r.method} ${r.path}`),
            jsSdk: run.jsSdk.memberships().map((m) => [m.userId, m.eventId]),
            timeline: run.jsSdk.room
              .getLiveTimeline()
              .getEvents()
              .filter((event) => event.getType() === "org.matrix.msc3401.call.member")
              .map((event) => [
                event.getId(),
                event.getTs() - run.crashTs,
                Object.keys(event.getContent()).length,
                event.getContent().created_ts,
              ]),
          },
          null,
          1,
        ),
    },
  );
  const restoredTs = Date.now();
  await waitUntil(
    () => (run.jsSdk.memberships().some((m) => m.eventId === restored.eventId) ? true : undefined),
    { description: "js-sdk lists the restored membership" },
  );
  run.stopWatching();
  expect(run.second.session.joinState).toBe("joined");
  const theirs = run.jsSdk.memberships().filter((m) => m.userId === run.bob.userId);
  expect(theirs).toHaveLength(1);
  expect(theirs[0]?.createdTs()).toBe(restored.createdTs);
  // The join's write (deduplicated) and the rejoin's.
  expect(membershipWrites(run.second.requests)).toHaveLength(2);
  const gap =
    run.absences.length === 0 ? "no gap seen" : `a gap of ~${run.absences.length * 20} ms`;
  console.log(
    `[session-restart] no storage: stale leave fired, session restored ${restoredTs - run.crashTs} ms after the crash; js-sdk saw ${gap}`,
  );
});
