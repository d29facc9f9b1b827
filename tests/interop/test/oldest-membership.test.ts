/**
 * js-sdk members and our members in one room under `oldest_membership` focus selection (legacy
 * dialect): both sides must name the same active transport (the oldest member's
 * foci_preferred[0]) and the same member set, through a deterministic hand-over and a seeded
 * random sequence of joins and leaves.
 */
import { createCallRoom, joinRoom, type RegisteredUser, registerUser } from "@mxrtc/stack";
import type { RtcTransport } from "@mxrtc/types";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { type OurMember, ourMember } from "../src/our-member.js";
import { type OurRoomView, watchRoom } from "../src/our-room-view.js";
import { interopSeed, seededRandom } from "../src/seeded-random.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const JS_SDK_MEMBERS = 4;
const OUR_MEMBERS = 4;
const RANDOM_STEPS = 100;

interface Participant {
  readonly name: string;
  readonly user: RegisteredUser;
  readonly transport: RtcTransport;
  joined: boolean;
  join(): Promise<void>;
  leave(): Promise<void>;
}

let roomId = "";
let view: OurRoomView;
const jsSdkMembers: JsSdkMember[] = [];
const participants: Participant[] = [];

const key = (userId: string, deviceId: string) => `${userId}|${deviceId}`;

function transportFor(name: string): RtcTransport {
  return {
    type: "livekit",
    livekit_service_url: `http://127.0.0.1:1/${name}`,
    livekit_alias: roomId,
  };
}

beforeAll(async () => {
  const owner = await registerUser(synapse, { deviceId: "OBSERVER" });
  roomId = await createCallRoom(synapse, owner);
  const users = await Promise.all(
    Array.from({ length: JS_SDK_MEMBERS + OUR_MEMBERS }, (_, index) =>
      registerUser(synapse, {
        deviceId: index < JS_SDK_MEMBERS ? `JSSDK${index}` : `MXRTC${index - JS_SDK_MEMBERS}`,
      }),
    ),
  );
  await Promise.all(users.map((user) => joinRoom(synapse, user, roomId)));
  view = await watchRoom(synapse, owner, roomId);
  for (const [index, user] of users.entries()) {
    if (index < JS_SDK_MEMBERS) {
      const member = await startJsSdkMember(synapse, user, roomId);
      jsSdkMembers.push(member);
      const name = `js-sdk-${index}`;
      const participant: Participant = {
        name,
        user,
        transport: transportFor(name),
        joined: false,
        join: () => member.join(participant.transport),
        leave: () => member.leave(),
      };
      participants.push(participant);
    } else {
      const ours: OurMember = ourMember(synapse, user, roomId);
      const name = `mxrtc-${index - JS_SDK_MEMBERS}`;
      const participant: Participant = {
        name,
        user,
        transport: transportFor(name),
        joined: false,
        join: async () => {
          await ours.joinLegacy(participant.transport);
        },
        leave: () => ours.leaveLegacy(),
      };
      participants.push(participant);
    }
  }
});

afterAll(async () => {
  await Promise.all(jsSdkMembers.map((member) => member.stop()));
  await view?.stop();
});

function describeSides(): string {
  const ours = view.memberships().map((m) => `${m.userId}/${m.deviceId}@${m.createdTs}`);
  const theirs = jsSdkMembers.map(
    (member, index) =>
      `js-sdk-${index}: ${member
        .memberships()
        .map((m) => `${m.userId}/${m.deviceId}@${m.createdTs()}`)
        .join(", ")} active=${JSON.stringify(member.activeTransport())}`,
  );
  return [`ours: ${ours.join(", ")} active=${JSON.stringify(view.transport())}`, ...theirs].join(
    "\n",
  );
}

/** Waits until our view and every js-sdk client list exactly the joined participants. */
async function bothSidesCaughtUp(step: string): Promise<void> {
  const expected = participants
    .filter((participant) => participant.joined)
    .map((participant) => key(participant.user.userId, participant.user.deviceId))
    .sort();
  const same = (actual: string[]) =>
    actual.length === expected.length && actual.sort().every((entry, i) => entry === expected[i]);
  await waitUntil(
    () =>
      (same(view.memberships().map((m) => key(m.userId, m.deviceId))) &&
        jsSdkMembers.every((member) =>
          same(member.memberships().map((m) => key(m.userId, m.deviceId))),
        )) ||
      undefined,
    { description: `both sides agree on the member set after ${step}`, explain: describeSides },
  );
}

/** Both sides agree on the active transport, and it is the oldest member's foci_preferred[0]. */
function expectSameActiveTransport(step: string): void {
  const ours = view.transport();
  for (const member of jsSdkMembers) {
    expect(member.activeTransport(), `${step}\n${describeSides()}`).toEqual(ours);
  }
  const oldest = view.memberships()[0];
  if (oldest === undefined) {
    expect(ours).toBeUndefined();
    return;
  }
  const owner = participants.find((participant) => participant.user.userId === oldest.userId);
  expect(ours, `${step}\n${describeSides()}`).toEqual(owner?.transport);
  // Every js-sdk client also names the same oldest member.
  for (const member of jsSdkMembers) {
    const theirOldest = member.session.getOldestMembership();
    expect(theirOldest?.userId).toBe(oldest.userId);
    expect(theirOldest?.createdTs()).toBe(oldest.createdTs);
  }
}

async function act(participant: Participant, step: string): Promise<void> {
  if (participant.joined) {
    await participant.leave();
    participant.joined = false;
  } else {
    await participant.join();
    participant.joined = true;
  }
  await bothSidesCaughtUp(step);
  expectSameActiveTransport(step);
}

function participant(name: string): Participant {
  const found = participants.find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`no participant ${name}`);
  return found;
}

it("hands the focus over between a js-sdk member and ours", async () => {
  await act(participant("js-sdk-0"), "js-sdk-0 joins");
  expect(view.transport()).toEqual(participant("js-sdk-0").transport);
  await act(participant("mxrtc-0"), "mxrtc-0 joins after js-sdk-0");
  // The js-sdk member is older: both sides use its transport.
  expect(view.transport()).toEqual(participant("js-sdk-0").transport);
  await act(participant("js-sdk-0"), "js-sdk-0 leaves");
  // Now ours is the oldest: js-sdk follows our foci_preferred[0].
  expect(jsSdkMembers[0]?.activeTransport()).toEqual(participant("mxrtc-0").transport);
  await act(participant("js-sdk-0"), "js-sdk-0 rejoins");
  const rejoin = view
    .rtcEvents()
    .filter((event) => event.sender === participant("js-sdk-0").user.userId)
    .at(-1);
  console.log(`[wire] js-sdk 43 legacy rejoin after a leave: ${JSON.stringify(rejoin?.content)}`);
  expect(jsSdkMembers[0]?.activeTransport()).toEqual(participant("mxrtc-0").transport);
  await act(participant("mxrtc-0"), "mxrtc-0 leaves");
  expect(view.transport()).toEqual(participant("js-sdk-0").transport);
  await act(participant("js-sdk-0"), "js-sdk-0 leaves again");
  expect(view.transport()).toBeUndefined();
});

it(`agrees on members and active transport through ${RANDOM_STEPS} random joins and leaves`, async () => {
  const seed = interopSeed();
  console.log(`[oldest-membership] seed ${seed} (replay with MXRTC_INTEROP_SEED=${seed})`);
  const random = seededRandom(seed);
  const started = Date.now();
  for (let step = 1; step <= RANDOM_STEPS; step += 1) {
    const chosen = participants[Math.floor(random() * participants.length)];
    if (chosen === undefined) throw new Error("unreachable");
    await act(
      chosen,
      `step ${step} (seed ${seed}): ${chosen.name} ${chosen.joined ? "leaves" : "joins"}`,
    );
  }
  console.log(`[oldest-membership] ${RANDOM_STEPS} steps in ${Date.now() - started} ms`);
  // Leave everyone out so the js-sdk clients stop cleanly.
  for (const entry of participants.filter((candidate) => candidate.joined)) {
    await act(entry, `cleanup: ${entry.name} leaves`);
  }
}, 180_000);
