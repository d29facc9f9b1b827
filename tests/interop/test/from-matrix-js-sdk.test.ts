/**
 * An app that already runs matrix-js-sdk 43 adopts mxrtc through `fromMatrixJsSdk(client)`:
 * the MatrixPort over the real client must send memberships that other js-sdk clients list, and
 * its sync must feed @mxrtc/state the same member set js-sdk's session computes.
 */
import { fromMatrixJsSdk } from "@mxrtc/matrix";
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { applyEvents, createRoomRtcState, selectMemberships } from "@mxrtc/state";
import {
  buildLegacyMembershipContent,
  buildStickyMembershipContent,
  DEFAULT_SLOT_ID,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
  MAX_STICKY_DURATION_MS,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
} from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { roomEventsOf } from "../src/our-room-view.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const started: JsSdkMember[] = [];
const controllers: AbortController[] = [];

afterEach(async () => {
  for (const controller of controllers.splice(0)) controller.abort();
  await Promise.all(started.splice(0).map((member) => member.stop()));
});

it("fromMatrixJsSdk over a real js-sdk 43 client: sends memberships js-sdk lists, syncs what js-sdk sees", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" }); // the app: js-sdk + mxrtc
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" }); // plain js-sdk call member
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, bob, roomId);
  const app = await startJsSdkMember(synapse, alice, roomId);
  started.push(app);
  const bobClient = await startJsSdkMember(synapse, bob, roomId);
  started.push(bobClient);
  const port = fromMatrixJsSdk(app.client);

  expect(await port.whoami()).toMatchObject({ userId: alice.userId, deviceId: alice.deviceId });
  const versions = await port.versions();
  expect(versions.unstableFeatures["org.matrix.msc4140"]).toBe(true);
  expect(versions.unstableFeatures["org.matrix.msc4354"]).toBe(true);

  // Our state, fed only by the port's sync (js-sdk's own sync loop underneath).
  const controller = new AbortController();
  controllers.push(controller);
  let state = createRoomRtcState({ roomId });
  const loop = (async () => {
    for await (const batch of port.sync({ signal: controller.signal })) {
      state = applyEvents(state, roomEventsOf(batch, roomId), { receivedTs: batch.receivedTs });
    }
  })().catch(() => undefined);
  const ours = () =>
    selectMemberships(state, { slotId: DEFAULT_SLOT_ID, now: Date.now() }).map(
      (membership) => `${membership.userId}/${membership.deviceId}/${membership.dialect}`,
    );
  const bobsView = () =>
    bobClient.memberships().map((membership) => `${membership.userId}/${membership.deviceId}`);

  // 1. A legacy membership sent through the port.
  const transport = { type: "livekit", livekit_service_url: "http://127.0.0.1:1/app" };
  const stateKey = legacyMembershipStateKey({
    userId: alice.userId,
    deviceId: alice.deviceId,
    slotId: DEFAULT_SLOT_ID,
  });
  const legacy = await port.sendStateEvent(
    roomId,
    LEGACY_MEMBERSHIP_EVENT_TYPE,
    stateKey,
    buildLegacyMembershipContent({
      deviceId: alice.deviceId,
      slotId: DEFAULT_SLOT_ID,
      transports: [transport],
    }),
  );
  expect(legacy.eventId).toMatch(/^\$/);
  await waitUntil(() => (bobsView().length === 1 ? true : undefined), {
    description: "Bob's js-sdk lists the legacy membership sent through the port",
  });
  await waitUntil(
    () => (ours().includes(`${alice.userId}/${alice.deviceId}/legacy`) ? true : undefined),
    { description: "the port's sync brings it to @mxrtc/state", explain: () => ours().join() },
  );
  const roomState = await port.getRoomState(roomId);
  expect(roomState.find((event) => event.state_key === stateKey)?.event_id).toBe(legacy.eventId);

  // 2. A delayed leave scheduled through the port (MSC4140): returns a delay id, sends nothing yet.
  const delayed = await port.sendStateEvent(
    roomId,
    LEGACY_MEMBERSHIP_EVENT_TYPE,
    stateKey,
    {},
    {
      delayMs: 60_000,
    },
  );
  expect(delayed.delayId).toEqual(expect.any(String));
  expect(delayed.eventId).toBeUndefined();

  // 3. Bob joins with js-sdk (sticky); both the port-fed state and Bob's js-sdk list both.
  await bobClient.join(
    { type: "livekit", livekit_service_url: "http://127.0.0.1:1/bob" },
    { sticky: true },
  );
  await waitUntil(
    () => (ours().includes(`${bob.userId}/${bob.deviceId}/sticky`) ? true : undefined),
    { description: "the port's sync brings Bob's sticky membership", explain: () => ours().join() },
  );
  expect(bobsView().sort()).toEqual(
    [`${alice.userId}/${alice.deviceId}`, `${bob.userId}/${bob.deviceId}`].sort(),
  );

  // 4. A sticky membership for a second member id, sent through the port's sticky send.
  const sticky = await port.sendEvent(
    roomId,
    UNSTABLE_RTC_MEMBER_EVENT_TYPE,
    buildStickyMembershipContent({
      userId: alice.userId,
      deviceId: alice.deviceId,
      memberId: "app-sticky-member",
      slotId: DEFAULT_SLOT_ID,
      transports: [transport],
    }),
    { stickyDurationMs: MAX_STICKY_DURATION_MS },
  );
  expect(sticky.eventId).toMatch(/^\$/);
  await waitUntil(
    () =>
      bobClient.memberships().some((membership) => membership.memberId === "app-sticky-member") ||
      undefined,
    { description: "Bob's js-sdk lists the sticky membership sent through the port" },
  );
  await waitUntil(
    () => (ours().includes(`${alice.userId}/${alice.deviceId}/sticky`) ? true : undefined),
    { description: "the port's sync brings it back", explain: () => ours().join() },
  );
  expect(ours()).toHaveLength(3);
  expect(bobClient.memberships()).toHaveLength(3);

  controller.abort();
  await loop;
});
