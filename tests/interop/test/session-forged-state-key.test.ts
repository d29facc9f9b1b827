/**
 * Forged memberships as our real `@mxrtc/session` sees them: not listed in `session.memberships`,
 * not followed as the focus, and reported through `selectDiagnostics(session.state)` as
 * `forged-membership`. A legacy state key naming someone else: matrix-js-sdk 43, in the same
 * room, credits the forgery to its sender (see forged-state-key.test.ts for the state-level
 * proof). A sticky membership whose `member.user_id` is not the sender: js-sdk rejects it too.
 */
import { createCallRoom, joinRoom, type RegisteredUser, registerUser } from "@mxrtc/stack";
import { selectDiagnostics } from "@mxrtc/state";
import {
  buildStickyMembershipContent,
  DEFAULT_SLOT_ID,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
  MAX_STICKY_DURATION_MS,
  type RtcTransport,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
} from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { ourMember } from "../src/our-member.js";
import { type OurSession, startOurSession } from "../src/our-session.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const jsSdkMembers: JsSdkMember[] = [];
const ourSessions: OurSession[] = [];

afterEach(async () => {
  await Promise.all(ourSessions.splice(0).map((ours) => ours.close()));
  await Promise.all(jsSdkMembers.splice(0).map((member) => member.stop()));
});

const malloryTransport: RtcTransport = {
  type: "livekit",
  livekit_service_url: "http://127.0.0.1:1/mallory",
};

/** Mallory writes a legacy membership claiming `victim`'s device at `victim`'s state key. */
async function forge(
  mallory: RegisteredUser,
  victim: RegisteredUser,
  roomId: string,
): Promise<string> {
  const result = await ourMember(synapse, mallory, roomId).matrix.sendStateEvent(
    roomId,
    LEGACY_MEMBERSHIP_EVENT_TYPE,
    legacyMembershipStateKey({
      userId: victim.userId,
      deviceId: victim.deviceId,
      slotId: DEFAULT_SLOT_ID,
    }),
    {
      application: "m.call",
      call_id: "",
      scope: "m.room",
      device_id: victim.deviceId,
      expires: 14_400_000,
      focus_active: { type: "livekit", focus_selection: "oldest_membership" },
      foci_preferred: [malloryTransport],
    },
  );
  if (result.eventId === undefined) throw new Error("the forged state event has no event id");
  return result.eventId;
}

function forgedDiagnostics(ours: OurSession, eventId: string) {
  return selectDiagnostics(ours.session.state).filter(
    (entry) => entry.code === "forged-membership" && entry.eventId === eventId,
  );
}

it("a membership at someone else's state key: our session does not list or follow it, and diagnoses it", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  const mallory = await registerUser(synapse, { deviceId: "MALLORYDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, bob, roomId);
  await joinRoom(synapse, mallory, roomId);
  const jsSdk = await startJsSdkMember(synapse, alice, roomId);
  jsSdkMembers.push(jsSdk);
  const bobTransport: RtcTransport = {
    type: "livekit",
    livekit_service_url: "http://127.0.0.1:1/bob",
    livekit_alias: roomId,
  };
  const ours = await startOurSession(synapse, bob, roomId, { transport: bobTransport });
  ourSessions.push(ours);

  const forgedEventId = await forge(mallory, alice, roomId);
  // js-sdk 43 lists it (as Mallory's) and would follow its transport.
  const listed = await waitUntil(() => jsSdk.memberships()[0], {
    description: "js-sdk lists the forged membership",
  });
  expect(listed.userId).toBe(mallory.userId);
  expect(listed.eventId).toBe(forgedEventId);
  expect(jsSdk.activeTransport()).toEqual(malloryTransport);

  // Our session: the event arrived, is reported, and nobody is listed.
  const diagnostics = await waitUntil(
    () => {
      const found = forgedDiagnostics(ours, forgedEventId);
      return found.length > 0 ? found : undefined;
    },
    { description: "our session reports the forged membership" },
  );
  expect(diagnostics[0]).toMatchObject({
    code: "forged-membership",
    sender: mallory.userId,
    eventType: LEGACY_MEMBERSHIP_EVENT_TYPE,
    applied: false,
  });
  expect(diagnostics[0]?.message).toContain(`_${alice.userId}_ALICEDEV_m.call`);
  console.log(`[session-forgery] diagnostic: ${JSON.stringify(diagnostics[0])}`);
  expect(ours.session.memberships).toEqual([]);
  expect(ours.session.transport).toBeUndefined();

  // Joining: we are the only member we list, and we connect to our own transport, not Mallory's
  // (js-sdk, counting the forgery as the oldest member, keeps Mallory's: a deliberate difference).
  await ours.join();
  expect(ours.session.memberships.map((m) => [m.userId, m.isLocal])).toEqual([[bob.userId, true]]);
  expect(ours.session.transport).toEqual(bobTransport);
  await waitUntil(() => (jsSdk.memberships().length === 2 ? true : undefined), {
    description: "js-sdk lists the forgery and us",
  });
  expect(jsSdk.activeTransport()).toEqual(malloryTransport);
  await ours.leave();
});

it("a forged overwrite of our own state key: the session ignores it, reports it and restores its membership", async () => {
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  const mallory = await registerUser(synapse, { deviceId: "MALLORYDEV" });
  const observer = await registerUser(synapse, { deviceId: "OBSERVER" });
  const roomId = await createCallRoom(synapse, bob);
  await joinRoom(synapse, mallory, roomId);
  await joinRoom(synapse, observer, roomId);
  const jsSdk = await startJsSdkMember(synapse, observer, roomId);
  jsSdkMembers.push(jsSdk);
  const bobTransport: RtcTransport = {
    type: "livekit",
    livekit_service_url: "http://127.0.0.1:1/bob",
    livekit_alias: roomId,
  };
  const ours = await startOurSession(synapse, bob, roomId, { transport: bobTransport });
  ourSessions.push(ours);
  await ours.join();
  const original = ours.session.memberships.find((m) => m.isLocal);
  if (original === undefined) throw new Error("our session does not list itself");
  await waitUntil(() => jsSdk.memberships()[0], { description: "js-sdk lists our session" });

  const forgedTs = Date.now();
  const forgedEventId = await forge(mallory, bob, roomId);
  // The forgery replaced our membership in room state; the session never lists it, sees its own
  // membership gone, and re-arms the delayed leave and re-sends (its rejoin).
  await waitUntil(() => (forgedDiagnostics(ours, forgedEventId).length > 0 ? true : undefined), {
    description: "our session reports the forged overwrite",
  });
  const restored = await waitUntil(
    () =>
      ours.session.memberships.find(
        (m) => m.isLocal && m.eventId !== original.eventId && m.eventId !== forgedEventId,
      ),
    {
      description: "our session restores its membership",
      explain: () => JSON.stringify(ours.session.memberships.map((m) => [m.userId, m.eventId])),
    },
  );
  console.log(
    `[session-forgery] our session restored its membership ${Date.now() - forgedTs} ms after the forged overwrite`,
  );
  expect(ours.session.memberships.every((m) => m.userId === bob.userId)).toBe(true);
  expect(ours.session.joinState).toBe("joined");
  expect(restored.transports).toEqual([bobTransport]);
  // js-sdk settles on our restored event, credited to us with our transport.
  const theirs = await waitUntil(
    () =>
      jsSdk.memberships().length === 1 && jsSdk.memberships()[0]?.eventId === restored.eventId
        ? jsSdk.memberships()[0]
        : undefined,
    {
      description: "js-sdk lists our restored membership only",
      explain: () => JSON.stringify(jsSdk.memberships().map((m) => [m.userId, m.eventId])),
    },
  );
  expect(theirs.userId).toBe(bob.userId);
  expect(theirs.createdTs()).toBe(restored.createdTs);
  expect(jsSdk.activeTransport()).toEqual(bobTransport);
  await ours.leave();
});

it("a sticky membership whose member.user_id names someone else: neither side lists it, our session diagnoses it", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  const mallory = await registerUser(synapse, { deviceId: "MALLORYDEV" });
  const roomId = await createCallRoom(synapse, alice);
  await joinRoom(synapse, bob, roomId);
  await joinRoom(synapse, mallory, roomId);
  const jsSdk = await startJsSdkMember(synapse, alice, roomId);
  jsSdkMembers.push(jsSdk);
  const bobTransport: RtcTransport = {
    type: "livekit",
    livekit_service_url: "http://127.0.0.1:1/bob",
    livekit_alias: roomId,
  };
  const ours = await startOurSession(synapse, bob, roomId, {
    transport: bobTransport,
    dialect: "sticky",
  });
  ourSessions.push(ours);

  // Mallory sends the sticky shape js-sdk writes, claiming Alice's user and device.
  const forged = await ourMember(synapse, mallory, roomId).matrix.sendEvent(
    roomId,
    UNSTABLE_RTC_MEMBER_EVENT_TYPE,
    buildStickyMembershipContent({
      userId: alice.userId,
      deviceId: alice.deviceId,
      memberId: "forged-alice-member",
      slotId: DEFAULT_SLOT_ID,
      transports: [malloryTransport],
    }),
    { stickyDurationMs: MAX_STICKY_DURATION_MS },
  );
  const forgedEventId = forged.eventId;
  if (forgedEventId === undefined) throw new Error("the forged sticky event has no event id");
  const diagnostics = await waitUntil(
    () => {
      const found = forgedDiagnostics(ours, forgedEventId);
      return found.length > 0 ? found : undefined;
    },
    { description: "our session reports the forged sticky membership" },
  );
  expect(diagnostics[0]).toMatchObject({ sender: mallory.userId, applied: false });
  console.log(`[session-forgery] sticky diagnostic: ${JSON.stringify(diagnostics[0])}`);
  expect(ours.session.memberships).toEqual([]);

  // Then our session joins: js-sdk (which has long received the forgery too) lists only us.
  await ours.join();
  await waitUntil(() => (jsSdk.memberships().length === 1 ? true : undefined), {
    description: "js-sdk lists our session",
  });
  expect(jsSdk.memberships().map((m) => m.userId)).toEqual([bob.userId]);
  expect(
    jsSdk.room
      .getLiveTimeline()
      .getEvents()
      .some((event) => event.getId() === forgedEventId),
  ).toBe(true);
  expect(ours.session.memberships.map((m) => m.userId)).toEqual([bob.userId]);
  expect(ours.session.transport).toEqual(bobTransport);
  await ours.leave();
});
