/**
 * js-sdk members and our members in one room under `oldest_membership` focus selection (legacy
 * dialect): both sides must name the same active transport (the oldest member's
 * foci_preferred[0]) and the same member set, through a deterministic hand-over and a seeded
 * random sequence of joins and leaves.
 */
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { type InteropCall, type Participant, setUpInteropCall } from "../src/interop-call.js";
import { interopSeed, seededRandom } from "../src/seeded-random.js";

const synapse = inject("synapse");
const RANDOM_STEPS = 100;
let call: InteropCall;

beforeAll(async () => {
  call = await setUpInteropCall(synapse, { dialect: "legacy", jsSdk: 4, ours: 4 });
});

afterAll(async () => {
  await call?.stop();
});

/** Both sides agree on the active transport, and it is the oldest member's foci_preferred[0]. */
function expectSameActiveTransport(step: string): void {
  const { view, jsSdkMembers, participants } = call;
  const ours = view.transport();
  for (const member of jsSdkMembers) {
    expect(member.activeTransport(), `${step}\n${call.describeSides()}`).toEqual(ours);
  }
  const oldest = view.memberships()[0];
  if (oldest === undefined) {
    expect(ours).toBeUndefined();
    return;
  }
  const owner = participants.find((participant) => participant.user.userId === oldest.userId);
  expect(ours, `${step}\n${call.describeSides()}`).toEqual(owner?.transport);
  // Every js-sdk client also names the same oldest member, with the same start time.
  for (const member of jsSdkMembers) {
    const theirOldest = member.session.getOldestMembership();
    expect(theirOldest?.userId).toBe(oldest.userId);
    expect(theirOldest?.createdTs()).toBe(oldest.createdTs);
  }
}

async function act(participant: Participant, step: string): Promise<void> {
  await call.toggle(participant, step);
  expectSameActiveTransport(step);
}

it("hands the focus over between a js-sdk member and ours", async () => {
  const jsSdk0 = call.participant("js-sdk-0");
  const ours0 = call.participant("mxrtc-0");
  await act(jsSdk0, "js-sdk-0 joins");
  expect(call.view.transport()).toEqual(jsSdk0.transport);
  await act(ours0, "mxrtc-0 joins after js-sdk-0");
  // The js-sdk member is older: both sides use its transport.
  expect(call.view.transport()).toEqual(jsSdk0.transport);
  await act(jsSdk0, "js-sdk-0 leaves");
  // Now ours is the oldest: js-sdk follows our foci_preferred[0].
  expect(call.jsSdkMembers[0]?.activeTransport()).toEqual(ours0.transport);
  await act(jsSdk0, "js-sdk-0 rejoins");
  const rejoin = call.view
    .rtcEvents()
    .filter((event) => event.sender === jsSdk0.user.userId)
    .at(-1);
  console.log(`[wire] js-sdk 43 legacy rejoin after a leave: ${JSON.stringify(rejoin?.content)}`);
  expect(rejoin?.content).not.toHaveProperty("created_ts");
  expect(call.jsSdkMembers[0]?.activeTransport()).toEqual(ours0.transport);
  await act(ours0, "mxrtc-0 leaves");
  expect(call.view.transport()).toEqual(jsSdk0.transport);
  await act(jsSdk0, "js-sdk-0 leaves again");
  expect(call.view.transport()).toBeUndefined();
});

it(`agrees on members and active transport through ${RANDOM_STEPS} random joins and leaves`, async () => {
  const seed = interopSeed();
  console.log(`[oldest-membership] seed ${seed} (replay with MXRTC_INTEROP_SEED=${seed})`);
  const random = seededRandom(seed);
  const started = Date.now();
  for (let step = 1; step <= RANDOM_STEPS; step += 1) {
    const chosen = call.participants[Math.floor(random() * call.participants.length)];
    if (chosen === undefined) throw new Error("unreachable");
    const what = `step ${step} (seed ${seed}): ${chosen.name} ${chosen.joined ? "leaves" : "joins"}`;
    await act(chosen, what);
  }
  console.log(`[oldest-membership] ${RANDOM_STEPS} steps in ${Date.now() - started} ms`);
  for (const entry of call.participants.filter((candidate) => candidate.joined)) {
    await act(entry, `cleanup: ${entry.name} leaves`);
  }
}, 180_000);
