/**
 * MSC4354 stickiness ends a sticky membership without any leave event. A short
 * `sticky_duration_ms` lets the test watch both sides drop the member when it runs out.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import {
  buildStickyMembershipContent,
  DEFAULT_SLOT_ID,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
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

it("a sticky membership whose stickiness runs out is dropped by both sides", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, bob, roomId);
  const jsSdk = await startJsSdkMember(synapse, alice, roomId);
  started.push(jsSdk);
  const view = await watchRoom(synapse, alice, roomId);
  views.push(view);

  const durationMs = 4_000;
  const sent = await ourMember(synapse, bob, roomId).matrix.sendEvent(
    roomId,
    UNSTABLE_RTC_MEMBER_EVENT_TYPE,
    buildStickyMembershipContent({
      userId: bob.userId,
      deviceId: bob.deviceId,
      memberId: "short-lived",
      slotId: DEFAULT_SLOT_ID,
      transports: [{ type: "livekit", livekit_service_url: "http://127.0.0.1:1/bob" }],
    }),
    { stickyDurationMs: durationMs },
  );
  const theirs = await waitUntil(() => jsSdk.memberships()[0], {
    description: "js-sdk lists the short-lived member",
  });
  const ours = await waitUntil(() => view.memberships()[0], {
    description: "we list the short-lived member",
  });
  expect(theirs.eventId).toBe(sent.eventId);
  expect(ours.eventId).toBe(sent.eventId);
  // Ours: the end of stickiness, from unsigned.msc4354_sticky_duration_ttl_ms and the receive time.
  expect(ours.expiresTs).toBeGreaterThan(Date.now());
  expect(ours.expiresTs).toBeLessThanOrEqual(ours.originServerTs + durationMs + 1_000);
  const expiresTs = ours.expiresTs ?? 0;

  // js-sdk's sticky store drops it on a timer; ours by `now` (nothing new arrives meanwhile).
  await waitUntil(() => (jsSdk.memberships().length === 0 ? true : undefined), {
    description: "js-sdk drops the member when stickiness ends",
    timeoutMs: durationMs + 5_000,
  });
  const droppedAt = Date.now();
  console.log(
    `[sticky-expiry] ours expires at +${expiresTs - ours.originServerTs} ms, js-sdk dropped at +${droppedAt - ours.originServerTs} ms after origin_server_ts`,
  );
  expect(view.memberships(droppedAt + 1_000)).toEqual([]);
  expect(Math.abs(droppedAt - expiresTs)).toBeLessThan(1_500);
});
