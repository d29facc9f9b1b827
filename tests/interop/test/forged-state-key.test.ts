/**
 * Mallory writes a legacy membership under Alice's state key. Synapse accepts it (the key starts
 * with "_", so the "@-keys belong to their user" auth rule does not apply). matrix-js-sdk 43
 * ignores the state key and lists the event as Mallory's membership; @mxrtc/state rejects it
 * and says why.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { selectDiagnostics, selectMemberships } from "@mxrtc/state";
import { DEFAULT_SLOT_ID, legacyMembershipStateKey } from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { ourMember } from "../src/our-member.js";
import { type OurRoomView, readRoomOnce, watchRoom } from "../src/our-room-view.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const started: JsSdkMember[] = [];
const views: OurRoomView[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((member) => member.stop()));
  await Promise.all(views.splice(0).map((view) => view.stop()));
});

it("a legacy membership under someone else's state key: js-sdk credits the sender, @mxrtc/state rejects it", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const mallory = await registerUser(synapse, { deviceId: "MALLORYDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, mallory, roomId);
  const jsSdk = await startJsSdkMember(synapse, alice, roomId);
  started.push(jsSdk);

  const aliceKey = legacyMembershipStateKey({
    userId: alice.userId,
    deviceId: alice.deviceId,
    slotId: DEFAULT_SLOT_ID,
  });
  expect(aliceKey).toBe(`_${alice.userId}_ALICEDEV_m.call`);
  const transport = { type: "livekit", livekit_service_url: "http://127.0.0.1:1/mallory" };
  // Mallory (power level 0; the call room lets level 0 send call.member) claims Alice's device.
  const content = ourMember(synapse, mallory, roomId).matrix;
  await content.sendStateEvent(roomId, "org.matrix.msc3401.call.member", aliceKey, {
    application: "m.call",
    call_id: "",
    scope: "m.room",
    device_id: alice.deviceId,
    expires: 14_400_000,
    focus_active: { type: "livekit", focus_selection: "oldest_membership" },
    foci_preferred: [transport],
  });

  // What js-sdk 43 actually does: the state key is ignored, the sender is the user.
  const listed = await waitUntil(() => jsSdk.memberships()[0], {
    description: "js-sdk lists the forged membership",
  });
  expect(jsSdk.memberships()).toHaveLength(1);
  expect(listed.userId).toBe(mallory.userId);
  expect(listed.deviceId).toBe(alice.deviceId);
  expect(listed.memberId).toBe(`${mallory.userId}:${alice.deviceId}`);
  expect(listed.rtcBackendIdentity).toBe(`${mallory.userId}:${alice.deviceId}`);
  expect(jsSdk.activeTransport()).toEqual(transport);

  // @mxrtc/state: no member, and a diagnostic naming the state key.
  const { state } = await readRoomOnce(synapse, alice, roomId);
  expect(selectMemberships(state, { slotId: DEFAULT_SLOT_ID, now: Date.now() })).toEqual([]);
  const forged = selectDiagnostics(state).filter((entry) => entry.code === "forged-membership");
  expect(forged.length).toBeGreaterThanOrEqual(1);
  expect(forged[0]).toMatchObject({
    code: "forged-membership",
    sender: mallory.userId,
    eventId: listed.eventId,
    applied: false,
  });
  expect(forged[0]?.message).toMatch(/state key/i);
  console.log(`[forgery] @mxrtc/state diagnostic: ${JSON.stringify(forged[0])}`);
});

it("a forged overwrite of an in-call member's state key: what both sides do", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const mallory = await registerUser(synapse, { deviceId: "MALLORYDEV" });
  const observer = await registerUser(synapse, { deviceId: "OBSERVER" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, mallory, roomId);
  await joinRoom(synapse, observer, roomId);
  const aliceClient = await startJsSdkMember(synapse, alice, roomId);
  started.push(aliceClient);
  const observerClient = await startJsSdkMember(synapse, observer, roomId);
  started.push(observerClient);
  const view = await watchRoom(synapse, observer, roomId);
  views.push(view);
  const aliceTransport = { type: "livekit", livekit_service_url: "http://127.0.0.1:1/alice" };
  await aliceClient.join(aliceTransport);
  const original = await waitUntil(() => observerClient.memberships()[0], {
    description: "observer sees Alice",
  });

  const malloryTransport = { type: "livekit", livekit_service_url: "http://127.0.0.1:1/mallory" };
  const forged = await ourMember(synapse, mallory, roomId).matrix.sendStateEvent(
    roomId,
    "org.matrix.msc3401.call.member",
    legacyMembershipStateKey({
      userId: alice.userId,
      deviceId: alice.deviceId,
      slotId: DEFAULT_SLOT_ID,
    }),
    {
      application: "m.call",
      call_id: "",
      scope: "m.room",
      device_id: alice.deviceId,
      expires: 14_400_000,
      focus_active: { type: "livekit", focus_selection: "oldest_membership" },
      foci_preferred: [malloryTransport],
    },
  );
  // The forged event replaces Alice's membership in room state (js-sdk would credit it to
  // Mallory), but Alice's own MembershipManager sees its membership gone and sends it again at
  // once: an observer usually gets both in one sync and never lists the forgery.
  const restored = await waitUntil(
    () =>
      observerClient
        .memberships()
        .find(
          (membership) =>
            membership.userId === alice.userId &&
            membership.eventId !== forged.eventId &&
            membership.eventId !== original.eventId,
        ),
    {
      description: "Alice's js-sdk client restores its membership",
      explain: () => JSON.stringify(observerClient.memberships().map((m) => [m.userId, m.eventId])),
    },
  );

  // js-sdk rejoins from scratch: no created_ts, so Alice's membership now starts at the re-send
  // (a forger can push the oldest member down the list, and with it the oldest_membership focus).
  expect(restored.createdTs()).toBeGreaterThan(original.createdTs());
  expect(observerClient.activeTransport()).toEqual(aliceTransport);

  // Ours (live sync view) and js-sdk settle on the same event: Alice's latest own membership
  // (js-sdk may re-send more than once while it recovers); the forged event is diagnosed.
  const describe = (list: readonly { userId: string; eventId: string }[]) =>
    JSON.stringify(list.map((membership) => [membership.userId, membership.eventId]));
  await waitUntil(() => view.rtcEvents().find((event) => event.event_id === forged.eventId), {
    description: "our view received the forged event",
  });
  await waitUntil(
    () => {
      const theirs = describe(observerClient.memberships());
      return theirs === describe(view.memberships()) && theirs.includes(alice.userId)
        ? true
        : undefined;
    },
    {
      description: "both sides list the same Alice membership event",
      explain: () =>
        `js-sdk ${describe(observerClient.memberships())}\nours ${describe(view.memberships())}`,
    },
  );
  const ours = view.memberships();
  expect(ours).toHaveLength(1);
  expect(ours[0]?.userId).toBe(alice.userId);
  expect(ours[0]?.createdTs).toBe(observerClient.memberships()[0]?.createdTs());
  expect(ours[0]?.createdTs).toBeGreaterThan(original.createdTs());
  expect(
    selectDiagnostics(view.state()).some(
      (entry) => entry.code === "forged-membership" && entry.eventId === forged.eventId,
    ),
  ).toBe(true);
});
