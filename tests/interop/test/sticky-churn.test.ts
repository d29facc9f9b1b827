/**
 * The same randomized agreement in the sticky dialect (MSC4354 events, one sticky key per member
 * id, rejoins reuse the key): after every join or leave both sides list the same members, and
 * for every member `selectMemberTransports` equals js-sdk's `membership.getTransport(oldest)`.
 */
import { selectMemberTransports } from "@mxrtc/state";
import { DEFAULT_SLOT_ID } from "@mxrtc/types";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { type InteropCall, setUpInteropCall } from "../src/interop-call.js";
import { interopSeed, seededRandom } from "../src/seeded-random.js";

const synapse = inject("synapse");
const RANDOM_STEPS = 50;
let call: InteropCall;

beforeAll(async () => {
  call = await setUpInteropCall(synapse, { dialect: "sticky", jsSdk: 3, ours: 3 });
});

afterAll(async () => {
  await call?.stop();
});

function expectSameTransports(step: string): void {
  const now = Date.now();
  const ours = new Map(
    selectMemberTransports(call.view.state(), { slotId: DEFAULT_SLOT_ID, now }).map((entry) => [
      entry.membership.userId,
      entry.transport,
    ]),
  );
  for (const member of call.jsSdkMembers) {
    const oldest = member.session.getOldestMembership();
    for (const membership of member.memberships()) {
      expect(ours.get(membership.userId), `${step}\n${call.describeSides()}`).toEqual(
        oldest ? membership.getTransport(oldest) : undefined,
      );
    }
  }
  for (const participant of call.participants.filter((entry) => entry.joined)) {
    expect(ours.get(participant.user.userId)).toEqual(participant.transport);
  }
  // No re-sends happen within a run, so start times agree too, including after a rejoin with
  // the same member id (sticky key): a leave ends the membership on both sides.
  const ourStarts = new Map(call.view.memberships().map((m) => [m.userId, m.createdTs]));
  for (const member of call.jsSdkMembers) {
    for (const membership of member.memberships()) {
      expect(ourStarts.get(membership.userId), `${step}\n${call.describeSides()}`).toBe(
        membership.createdTs(),
      );
    }
  }
}

it(`agrees on members and their transports through ${RANDOM_STEPS} random sticky joins and leaves`, async () => {
  const seed = interopSeed();
  console.log(`[sticky-churn] seed ${seed} (replay with MXRTC_INTEROP_SEED=${seed})`);
  const random = seededRandom(seed);
  for (let step = 1; step <= RANDOM_STEPS; step += 1) {
    const chosen = call.participants[Math.floor(random() * call.participants.length)];
    if (chosen === undefined) throw new Error("unreachable");
    const what = `step ${step} (seed ${seed}): ${chosen.name} ${chosen.joined ? "leaves" : "joins"}`;
    await call.toggle(chosen, what);
    expectSameTransports(what);
  }
  for (const entry of call.participants.filter((candidate) => candidate.joined)) {
    await call.toggle(entry, `cleanup: ${entry.name} leaves`);
  }
}, 180_000);
