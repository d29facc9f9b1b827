/**
 * matrix-js-sdk 43 writes `org.matrix.msc4143.rtc.slot` (ensureRtcSlotOpen / ensureRtcSlotClosed)
 * and gates sticky memberships on it (legacy state memberships are never gated). Both sides must
 * count the same members with no slot, an open slot and a closed slot.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { normaliseEvent } from "../src/normalise-event.js";
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

it("counts the same members as js-sdk 43 with no slot, an open slot and a closed slot", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" }); // room admin, writes the slot
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" }); // js-sdk, sticky
  const carol = await registerUser(synapse, { deviceId: "CAROLDEV" }); // ours, legacy
  const dave = await registerUser(synapse, { deviceId: "DAVEDEV" }); // ours, sticky
  const roomId = await createCallRoom(synapse, alice);
  await Promise.all([bob, carol, dave].map((user) => joinRoom(synapse, user, roomId)));
  const admin = await startJsSdkMember(synapse, alice, roomId);
  started.push(admin);
  const bobClient = await startJsSdkMember(synapse, bob, roomId);
  started.push(bobClient);
  const view = await watchRoom(synapse, alice, roomId);
  views.push(view);

  const transport = (name: string) => ({
    type: "livekit",
    livekit_service_url: `http://127.0.0.1:1/${name}`,
  });
  await bobClient.join(transport("bob"), { sticky: true });
  await ourMember(synapse, carol, roomId).joinLegacy(transport("carol"));
  await ourMember(synapse, dave, roomId).joinSticky(transport("dave"));

  const everyone = [bob.userId, carol.userId, dave.userId].sort();
  const legacyOnly = [carol.userId];
  const theirs = () => admin.memberships().map((membership) => membership.userId);
  const ours = () => view.memberships().map((membership) => membership.userId);
  const agree = async (expected: readonly string[], step: string) => {
    const equal = (actual: string[]) =>
      JSON.stringify(actual.sort()) === JSON.stringify([...expected].sort());
    await waitUntil(() => (equal(theirs()) && equal(ours())) || undefined, {
      description: `js-sdk and @mxrtc/state both list ${expected.length} members (${step})`,
      explain: () => `js-sdk: ${theirs().join(", ")}\nours: ${ours().join(", ")}`,
      timeoutMs: 10_000,
    });
  };

  await agree(everyone, "no slot event");

  await admin.session.ensureRtcSlotOpen();
  await waitUntil(() => admin.session.isSlotOpen() || undefined, {
    description: "js-sdk sees the open slot",
  });
  await agree(everyone, "slot open");

  await admin.session.ensureRtcSlotClosed();
  await waitUntil(() => admin.session.isSlotClosed() || undefined, {
    description: "js-sdk sees the closed slot",
  });
  // js-sdk 43 hides sticky memberships while the slot is closed; legacy ones stay.
  await waitUntil(() => JSON.stringify(theirs()) === JSON.stringify(legacyOnly) || undefined, {
    description: "js-sdk hides sticky members of a closed slot",
    explain: () => theirs().join(", "),
  });
  await agree(legacyOnly, "slot closed");

  const slotEvents = view.rtcEvents().filter((event) => event.type.endsWith("rtc.slot"));
  // What js-sdk 43 writes: org.matrix.msc4143.rtc.slot at state key m.call#ROOM.
  expect(slotEvents.map((event) => [event.type, event.state_key, event.content])).toEqual([
    [
      "org.matrix.msc4143.rtc.slot",
      "m.call#ROOM",
      { status: "open", application: { type: "m.call" } },
    ],
    [
      "org.matrix.msc4143.rtc.slot",
      "m.call#ROOM",
      { status: "closed", application: { type: "m.call" } },
    ],
  ]);
  console.log(
    `[wire] js-sdk 43 slot events: ${JSON.stringify(
      slotEvents.map((event) => normaliseEvent(event, { [roomId]: "!room:localhost" })),
    )}`,
  );
});
