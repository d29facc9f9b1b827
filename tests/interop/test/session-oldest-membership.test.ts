/**
 * Three js-sdk MatrixRTCSessions and three of our real `@mxrtc/session`s in one legacy
 * `oldest_membership` room, each with its own LiveKit service URL. Through a seeded random
 * sequence of joins and leaves (ours: `session.leave()` / `session.join()` on the same session),
 * every client lists the same members, names the same oldest member with the same `createdTs`,
 * and every session's `session.transport` equals every js-sdk client's
 * `getOldestMembership().getTransport(oldest)`: the oldest member's `foci_preferred[0]`.
 */
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { interopSeed, seededRandom } from "../src/seeded-random.js";
import { type SessionCall, setUpSessionCall } from "../src/session-call.js";

const synapse = inject("synapse");
const RANDOM_STEPS = 100;
let call: SessionCall;

beforeAll(async () => {
  call = await setUpSessionCall(synapse, { jsSdk: 3, ours: 3 });
});

afterAll(async () => {
  await call?.stop();
});

function expectSameActiveTransport(step: string): void {
  const explain = () => `${step}\n${call.describeSides()}`;
  const joined = call.participants.filter((participant) => participant.joined);
  const reference = call.jsSdkMembers[0];
  if (reference === undefined) throw new Error("no js-sdk member");
  const theirOldest = reference.session.getOldestMembership();
  const expected =
    theirOldest === undefined
      ? undefined
      : call.participants.find((participant) => participant.user.userId === theirOldest.userId)
          ?.transport;
  if (joined.length === 0) expect(theirOldest, explain()).toBeUndefined();
  else expect(expected, explain()).toBeDefined();
  for (const member of call.jsSdkMembers) {
    const oldest = member.session.getOldestMembership();
    expect(oldest?.eventId, explain()).toBe(theirOldest?.eventId);
    expect(member.activeTransport(), explain()).toEqual(expected);
  }
  for (const ours of call.ourSessions) {
    const { session } = ours;
    expect(session.transport, explain()).toEqual(expected);
    expect(session.memberships[0]?.userId, explain()).toBe(theirOldest?.userId);
    expect(session.memberships[0]?.createdTs, explain()).toBe(theirOldest?.createdTs());
    // Every member's transport is the shared one, as js-sdk's getTransport(oldest) says.
    for (const membership of session.memberships) {
      expect(membership.transport, explain()).toEqual(expected);
    }
    expect(session.joinState).toBe(
      call.participants.find((participant) => participant.user.userId === ours.user.userId)?.joined
        ? "joined"
        : "left",
    );
  }
}

it(`agrees with js-sdk on members and the active transport through ${RANDOM_STEPS} random joins and leaves`, async () => {
  const seed = interopSeed();
  console.log(`[session-oldest-membership] seed ${seed} (replay with MXRTC_INTEROP_SEED=${seed})`);
  const random = seededRandom(seed);
  const started = Date.now();
  let transportChanges = 0;
  for (const ours of call.ourSessions) {
    ours.session.on("transport-changed", () => {
      transportChanges += 1;
    });
  }
  const counts = { jsSdkJoins: 0, sessionJoins: 0, leaves: 0 };
  for (let step = 1; step <= RANDOM_STEPS; step += 1) {
    const chosen = call.participants[Math.floor(random() * call.participants.length)];
    if (chosen === undefined) throw new Error("unreachable");
    const what = `step ${step} (seed ${seed}): ${chosen.name} ${chosen.joined ? "leaves" : "joins"}`;
    if (chosen.joined) counts.leaves += 1;
    else if (chosen.name.startsWith("js-sdk")) counts.jsSdkJoins += 1;
    else counts.sessionJoins += 1;
    await call.toggle(chosen, what);
    expectSameActiveTransport(what);
  }
  console.log(
    `[session-oldest-membership] ${RANDOM_STEPS} steps in ${Date.now() - started} ms: ${counts.jsSdkJoins} js-sdk joins, ${counts.sessionJoins} session joins, ${counts.leaves} leaves, ${transportChanges} transport-changed events across our sessions`,
  );
  expect(counts.sessionJoins).toBeGreaterThan(0);
  expect(counts.jsSdkJoins).toBeGreaterThan(0);
  for (const entry of call.participants.filter((candidate) => candidate.joined)) {
    await call.toggle(entry, `cleanup: ${entry.name} leaves`);
    expectSameActiveTransport(`cleanup: ${entry.name} leaves`);
  }
}, 180_000);
