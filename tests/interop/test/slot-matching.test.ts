/**
 * Which slot a legacy membership belongs to. matrix-js-sdk 43's `isValidMembership` compares only
 * the slot's id part, not its application, so a legacy membership of another application with
 * `call_id: "ROOM"` is counted in the `m.call#ROOM` call. @mxrtc/state compares the whole slot id.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { selectMemberships } from "@mxrtc/state";
import {
  buildLegacyMembershipContent,
  DEFAULT_SLOT_ID,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
} from "@mxrtc/types";
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

it("a legacy membership of another application with call_id ROOM: js-sdk counts it in m.call#ROOM, we do not", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, bob, roomId);
  const jsSdk = await startJsSdkMember(synapse, alice, roomId);
  started.push(jsSdk);
  const view = await watchRoom(synapse, alice, roomId);
  views.push(view);

  const otherSlot = "io.mxrtc.whiteboard#ROOM";
  const content = buildLegacyMembershipContent({
    deviceId: bob.deviceId,
    slotId: otherSlot,
    transports: [{ type: "livekit", livekit_service_url: "http://127.0.0.1:1/board" }],
  });
  expect(content).toMatchObject({ application: "io.mxrtc.whiteboard", call_id: "ROOM" });
  await ourMember(synapse, bob, roomId).matrix.sendStateEvent(
    roomId,
    LEGACY_MEMBERSHIP_EVENT_TYPE,
    legacyMembershipStateKey({ userId: bob.userId, deviceId: bob.deviceId, slotId: otherSlot }),
    content,
  );

  // js-sdk 43 (m.call#ROOM session): counted, with its real slot id.
  const listed = await waitUntil(() => jsSdk.memberships()[0], {
    description: "js-sdk lists the whiteboard membership in its m.call#ROOM session",
  });
  expect(listed.userId).toBe(bob.userId);
  expect(listed.slotId).toBe(otherSlot);

  // Ours: only in its own slot.
  await waitUntil(() => view.rtcEvents()[0], { description: "we see the event" });
  const now = Date.now();
  expect(selectMemberships(view.state(), { slotId: DEFAULT_SLOT_ID, now })).toEqual([]);
  expect(selectMemberships(view.state(), { slotId: otherSlot, now }).map((m) => m.userId)).toEqual([
    bob.userId,
  ]);
});
