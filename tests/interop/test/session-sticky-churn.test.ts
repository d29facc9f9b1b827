/**
 * The session-level randomized agreement in the sticky dialect: three js-sdk MatrixRTCSessions
 * (`unstableSendStickyEvents`) and three of our real sessions (`dialect: "sticky"`), a seeded
 * random sequence of joins and leaves (ours rejoin under the same member id, so the same sticky
 * key). After every step every client lists the same members with the same `createdTs`, every
 * member's transport in `session.memberships` equals js-sdk's `getTransport(oldest)` for it, and a
 * joined session's `session.transport` is its own transport (sticky members publish on their own).
 */
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { interopSeed, seededRandom } from "../src/seeded-random.js";
import { type SessionCall, setUpSessionCall } from "../src/session-call.js";

const synapse = inject("synapse");
const RANDOM_STEPS = 50;
let call: SessionCall;

beforeAll(async () => {
  call = await setUpSessionCall(synapse, { jsSdk: 3, ours: 3, dialect: "sticky" });
});

afterAll(async () => {
  await call?.stop();
});

function expectAgreement(step: string): void {
  const explain = () => `${step}\n${call.describeSides()}`;
  for (const ours of call.ourSessions) {
    const { session } = ours;
    const byUser = new Map(session.memberships.map((m) => [m.userId, m]));
    for (const member of call.jsSdkMembers) {
      const oldest = member.session.getOldestMembership();
      for (const theirs of member.memberships()) {
        const mine = byUser.get(theirs.userId);
        expect(mine?.createdTs, explain()).toBe(theirs.createdTs());
        expect(mine?.memberId, explain()).toBe(theirs.memberId);
        expect(mine?.transport, explain()).toEqual(oldest && theirs.getTransport(oldest));
      }
    }
    for (const participant of call.participants) {
      expect(byUser.get(participant.user.userId)?.transport, explain()).toEqual(
        participant.joined ? participant.transport : undefined,
      );
    }
    const self = call.participants.find((entry) => entry.user.userId === ours.user.userId);
    expect(session.joinState, explain()).toBe(self?.joined ? "joined" : "left");
    expect(session.transport, explain()).toEqual(self?.joined ? self.transport : undefined);
  }
}

it(`agrees with js-sdk on sticky members and their transports through ${RANDOM_STEPS} random joins and leaves`, async () => {
  const seed = interopSeed();
  console.log(`[session-sticky-churn] seed ${seed} (replay with MXRTC_INTEROP_SEED=${seed})`);
  const random = seededRandom(seed);
  const started = Date.now();
  let sessionJoins = 0;
  for (let step = 1; step <= RANDOM_STEPS; step += 1) {
    const chosen = call.participants[Math.floor(random() * call.participants.length)];
    if (chosen === undefined) throw new Error("unreachable");
    const what = `step ${step} (seed ${seed}): ${chosen.name} ${chosen.joined ? "leaves" : "joins"}`;
    if (!chosen.joined && chosen.name.startsWith("session")) sessionJoins += 1;
    await call.toggle(chosen, what);
    expectAgreement(what);
  }
  console.log(
    `[session-sticky-churn] ${RANDOM_STEPS} steps in ${Date.now() - started} ms (${sessionJoins} session joins)`,
  );
  expect(sessionJoins).toBeGreaterThan(0);
  for (const entry of call.participants.filter((candidate) => candidate.joined)) {
    await call.toggle(entry, `cleanup: ${entry.name} leaves`);
  }
}, 180_000);
