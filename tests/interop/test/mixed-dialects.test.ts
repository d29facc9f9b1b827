/**
 * Legacy and sticky members of both implementations in one room: where each member publishes
 * (js-sdk `membership.getTransport(oldest)` vs `selectMemberTransports`) must agree, and one
 * device announcing itself in both dialects is counted the same way.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { selectMemberTransports, selectTransport } from "@mxrtc/state";
import { DEFAULT_SLOT_ID } from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { ourMember } from "../src/our-member.js";
import { type OurRoomView, watchRoom } from "../src/our-room-view.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const started: JsSdkMember[] = [];
const views: OurRoomView[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((member) => member.stop()));
  await Promise.all(views.splice(0).map((view) => view.stop()));
});

it("agrees with js-sdk 43 on where every member publishes in a mixed-dialect room", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" }); // js-sdk legacy, oldest
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" }); // js-sdk sticky
  const carol = await registerUser(synapse, { deviceId: "CAROLDEV" }); // ours sticky
  const dave = await registerUser(synapse, { deviceId: "DAVEDEV" }); // ours legacy
  const roomId = await createCallRoom(synapse, alice);
  await Promise.all([bob, carol, dave].map((user) => joinRoom(synapse, user, roomId)));
  const aliceClient = await startJsSdkMember(synapse, alice, roomId);
  started.push(aliceClient);
  const bobClient = await startJsSdkMember(synapse, bob, roomId);
  started.push(bobClient);
  const view = await watchRoom(synapse, alice, roomId);
  views.push(view);
  const transport = (name: string) => ({
    type: "livekit",
    livekit_service_url: `http://127.0.0.1:1/${name}`,
    livekit_alias: roomId,
  });

  await aliceClient.join(transport("alice"));
  await bobClient.join(transport("bob"), { sticky: true });
  await ourMember(synapse, carol, roomId).joinSticky(transport("carol"));
  await ourMember(synapse, dave, roomId).joinLegacy(transport("dave"));

  await waitUntil(
    () =>
      (view.memberships().length === 4 &&
        [aliceClient, bobClient].every((client) => client.memberships().length === 4)) ||
      undefined,
    { description: "both sides list the 4 members" },
  );
  const now = Date.now();
  const ours = new Map(
    selectMemberTransports(view.state(), { slotId: DEFAULT_SLOT_ID, now }).map((entry) => [
      entry.membership.userId,
      entry.transport,
    ]),
  );
  for (const client of [aliceClient, bobClient]) {
    const oldest = client.session.getOldestMembership();
    expect(oldest?.userId).toBe(alice.userId);
    expect(view.memberships()[0]?.userId).toBe(alice.userId);
    for (const membership of client.memberships()) {
      expect(ours.get(membership.userId), membership.userId).toEqual(
        oldest ? membership.getTransport(oldest) : undefined,
      );
    }
  }
  // Legacy oldest_membership members follow the oldest (Alice); sticky members publish on their
  // own transport (js-sdk strips livekit_alias from what it writes for Bob).
  expect(ours.get(dave.userId)).toEqual(transport("alice"));
  expect(ours.get(bob.userId)).toEqual({
    type: "livekit",
    livekit_service_url: "http://127.0.0.1:1/bob",
  });
  expect(ours.get(carol.userId)).toEqual(transport("carol"));
  // No single shared transport in a mixed room; js-sdk's "active" one is the oldest's own.
  expect(selectTransport(view.state(), { slotId: DEFAULT_SLOT_ID, now })).toBeUndefined();
  expect(aliceClient.activeTransport()).toEqual(transport("alice"));
});

it("one device announced in both dialects is listed twice, by both sides", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const carol = await registerUser(synapse, { deviceId: "CAROLDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, carol, roomId);
  const aliceClient = await startJsSdkMember(synapse, alice, roomId);
  started.push(aliceClient);
  const view = await watchRoom(synapse, alice, roomId);
  views.push(view);

  const carolMember = ourMember(synapse, carol, roomId);
  await carolMember.joinLegacy({ type: "livekit", livekit_service_url: "http://127.0.0.1:1/a" });
  await carolMember.joinSticky({ type: "livekit", livekit_service_url: "http://127.0.0.1:1/b" });
  await waitUntil(
    () => (view.rtcEvents().length >= 2 && aliceClient.memberships().length >= 1) || undefined,
    { description: "both sides saw Carol's two events" },
  );
  // Give js-sdk a moment to process the second event too.
  await waitUntil(() => (aliceClient.memberships().length === 2 ? true : undefined), {
    description: "js-sdk lists Carol's device once per dialect",
    explain: () => JSON.stringify(aliceClient.memberships().map((m) => [m.userId, m.deviceId])),
    timeoutMs: 5_000,
  });
  const theirs = aliceClient.memberships().map((m) => `${m.userId}/${m.deviceId}/${m.memberId}`);
  const ours = view.memberships().map((m) => `${m.userId}/${m.deviceId}/${m.memberId}`);
  console.log(`[both-dialects] js-sdk: ${JSON.stringify(theirs)} ours: ${JSON.stringify(ours)}`);
  expect(ours.sort()).toEqual(theirs.sort());
  // Same user, device and member id, once per dialect: neither side merges them (js-sdk only
  // drops a state event whose state key equals a sticky key, which never happens in practice).
  expect(ours).toHaveLength(2);
});
