/**
 * When a membership started (`createdTs`) decides the oldest member and, for legacy events, the
 * expiry. These tests pin where js-sdk 43 and @mxrtc/state agree and where they deliberately
 * differ: legacy `created_ts`/`expires`, and re-sent memberships in both dialects.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import {
  buildLegacyMembershipContent,
  DEFAULT_SLOT_ID,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
} from "@mxrtc/types";
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

const HOUR = 3_600_000;

it("legacy created_ts and expires: both sides honour them the same way", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  const carol = await registerUser(synapse, { deviceId: "CAROLDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await Promise.all([bob, carol].map((user) => joinRoom(synapse, user, roomId)));
  const jsSdk = await startJsSdkMember(synapse, alice, roomId);
  started.push(jsSdk);
  const view = await watchRoom(synapse, alice, roomId);
  views.push(view);

  const transport = { type: "livekit", livekit_service_url: "http://127.0.0.1:1/x" };
  const now = Date.now();
  // Bob started an hour ago with the default 4 h expiry: still valid, created an hour ago.
  // Carol started 5 h ago: expired on both sides.
  for (const [user, createdTs] of [
    [bob, now - HOUR],
    [carol, now - 5 * HOUR],
  ] as const) {
    await ourMember(synapse, user, roomId).matrix.sendStateEvent(
      roomId,
      LEGACY_MEMBERSHIP_EVENT_TYPE,
      legacyMembershipStateKey({
        userId: user.userId,
        deviceId: user.deviceId,
        slotId: DEFAULT_SLOT_ID,
      }),
      buildLegacyMembershipContent({
        deviceId: user.deviceId,
        slotId: DEFAULT_SLOT_ID,
        transports: [transport],
        createdTs,
      }),
    );
  }
  await waitUntil(
    () =>
      (jsSdk.memberships().length === 1 &&
        view.rtcEvents().filter((event) => event.sender === carol.userId).length === 1) ||
      undefined,
    { description: "both sides saw both events" },
  );
  const theirs = jsSdk.memberships();
  const ours = view.memberships();
  expect(theirs.map((membership) => membership.userId)).toEqual([bob.userId]);
  expect(ours.map((membership) => membership.userId)).toEqual([bob.userId]);
  expect(ours[0]?.createdTs).toBe(now - HOUR);
  expect(theirs[0]?.createdTs()).toBe(now - HOUR);
  expect(ours[0]?.expiresTs).toBe(theirs[0]?.getAbsoluteExpiry());
});

for (const dialect of ["legacy", "sticky"] as const) {
  it(`a js-sdk ${dialect} re-send (updateCallIntent): createdTs on both sides`, async () => {
    const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
    const observer = await registerUser(synapse, { deviceId: "OBSERVER" });
    const roomId = await createCallRoom(synapse, alice);
    await joinRoom(synapse, observer, roomId);
    const jsSdk = await startJsSdkMember(synapse, alice, roomId);
    started.push(jsSdk);
    const view = await watchRoom(synapse, observer, roomId);
    views.push(view);

    await jsSdk.join(
      { type: "livekit", livekit_service_url: "http://127.0.0.1:1/lk", livekit_alias: roomId },
      { sticky: dialect === "sticky" },
    );
    const first = jsSdk.memberships()[0];
    if (first === undefined) throw new Error("js-sdk lists no membership");
    await waitUntil(() => view.memberships()[0], { description: "we see the join" });
    expect(view.memberships()[0]?.createdTs).toBe(first.createdTs());

    // Make origin_server_ts of the re-send differ from the join's.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await jsSdk.session.updateCallIntent("video");
    const resent = await waitUntil(
      () => jsSdk.memberships().find((membership) => membership.callIntent === "video"),
      { description: "js-sdk lists its re-sent membership" },
    );
    const ours = await waitUntil(
      () => view.memberships().find((membership) => membership.callIntent === "video"),
      {
        description: "we see the re-sent membership",
        explain: () => JSON.stringify(view.memberships()),
      },
    );
    const wire = view.rtcEvents().at(-1);
    console.log(
      `[wire] js-sdk 43 ${dialect} re-send (updateCallIntent): ${JSON.stringify(
        normaliseEvent(wire?.content, {
          [roomId]: "!room:localhost",
          [alice.userId]: "@alice:localhost",
        }),
      )}`,
    );
    expect(resent.eventId).not.toBe(first.eventId);
    expect(ours.eventId).toBe(resent.eventId);
    // Ours keeps the first event's timestamp in both dialects (a refresh is not a rejoin).
    expect(ours.createdTs).toBe(first.createdTs());
    if (dialect === "legacy") {
      // js-sdk carries created_ts over in the content: same answer.
      expect(wire?.content.created_ts).toBe(first.createdTs());
      expect(resent.createdTs()).toBe(first.createdTs());
    } else {
      // js-sdk 43 uses each sticky event's own origin_server_ts (its relation key is
      // "m.relation", which nothing reads): its createdTs moves on every re-send.
      expect(wire?.content["m.relation"]).toEqual({
        rel_type: "m.reference",
        event_id: first.eventId,
      });
      expect(resent.createdTs()).toBe(wire?.origin_server_ts);
      expect(resent.createdTs()).toBeGreaterThan(first.createdTs());
    }
  });
}
