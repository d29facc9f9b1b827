/**
 * Three js-sdk MatrixRTCSessions and three of our real `@mxrtc/session`s in one legacy
 * `oldest_membership` room, each with its own LiveKit service URL. Through a seeded random
 * sequence of joins and leaves (ours: `session.leave()` / `session.join()` on the same session),
 * every client lists the same members, names the same oldest member with the same `createdTs`,
 * and every session's `session.transport` equals every js-sdk client's
 * `getOldestMembership().getTransport(oldest)`: the oldest member's `foci_preferred[0]`.
 */
import { transportsEqual } from "@mxrtc/types";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { interopSeed, seededRandom } from "../src/seeded-random.js";
import { type SessionCall, setUpSessionCall } from "../src/session-call.js";
import { waitUntil } from "../src/wait-until.js";

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

/**
 * Every joined session's focus plugin is connected to `session.transport` (its last connect) and
 * its reference connection reports exactly the other joined members as participants; a left
 * session has no connection.
 */
async function expectFocusFollows(step: string): Promise<void> {
  for (const ours of call.ourSessions) {
    const { session } = ours;
    const joined = session.joinState === "joined";
    const others = call.participants
      .filter((participant) => participant.joined && participant.user.userId !== ours.user.userId)
      .map((participant) => participant.user.userId)
      .sort()
      .join(",");
    await waitUntil(
      () => {
        const connection = session.focusConnection as
          | { readonly participants?: readonly { readonly userId: string }[] }
          | undefined;
        if (!joined) return connection === undefined || undefined;
        const last = ours.focusConnects.at(-1);
        const participants = (connection?.participants ?? [])
          .map((member) => member.userId)
          .sort()
          .join(",");
        return (
          (session.transport !== undefined &&
            last !== undefined &&
            transportsEqual(last, session.transport) &&
            participants === others) ||
          undefined
        );
      },
      {
        description: `${step}: session ${ours.user.userId}'s focus follows its transport and members`,
        timeoutMs: 5_000,
        explain: () =>
          `transport ${JSON.stringify(session.transport)} last connect ${JSON.stringify(ours.focusConnects.at(-1))}\n${call.describeSides()}`,
      },
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
  const joinedAt = new Map<(typeof call.ourSessions)[number], number>();
  for (let step = 1; step <= RANDOM_STEPS; step += 1) {
    const chosen = call.participants[Math.floor(random() * call.participants.length)];
    if (chosen === undefined) throw new Error("unreachable");
    const what = `step ${step} (seed ${seed}): ${chosen.name} ${chosen.joined ? "leaves" : "joins"}`;
    if (chosen.joined) counts.leaves += 1;
    else if (chosen.name.startsWith("js-sdk")) counts.jsSdkJoins += 1;
    else counts.sessionJoins += 1;
    const ours = call.ourSessions.find((entry) => entry.user.userId === chosen.user.userId);
    if (ours !== undefined && !chosen.joined) joinedAt.set(ours, ours.focusConnects.length);
    await call.toggle(chosen, what);
    expectSameActiveTransport(what);
    await expectFocusFollows(what);
    // Within one join, a session reconnects only when its transport really changed.
    for (const [session, from] of joinedAt) {
      const connects = session.focusConnects.slice(from);
      connects.forEach((transport, index) => {
        const before = connects[index - 1];
        if (before !== undefined) expect(transportsEqual(before, transport), what).toBe(false);
      });
    }
  }
  const connects = call.ourSessions.reduce((sum, ours) => sum + ours.focusConnects.length, 0);
  console.log(
    `[session-oldest-membership] ${RANDOM_STEPS} steps in ${Date.now() - started} ms: ${counts.jsSdkJoins} js-sdk joins, ${counts.sessionJoins} session joins, ${counts.leaves} leaves, ${transportChanges} transport-changed events and ${connects} focus connects across our sessions`,
  );
  expect(counts.sessionJoins).toBeGreaterThan(0);
  expect(counts.jsSdkJoins).toBeGreaterThan(0);
  for (const entry of call.participants.filter((candidate) => candidate.joined)) {
    await call.toggle(entry, `cleanup: ${entry.name} leaves`);
    expectSameActiveTransport(`cleanup: ${entry.name} leaves`);
  }
}, 180_000);
