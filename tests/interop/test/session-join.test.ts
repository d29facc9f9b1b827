/**
 * The real `@mxrtc/session` (createRtcSession over createMatrixClient, reference focus plugin as
 * `livekit`) and a real matrix-js-sdk 43 MatrixRTCSession join the same call, in the legacy and
 * in the sticky dialect: each lists the other with the right device, member id, start time and
 * transport, and each sees the other leave.
 */

import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import type { RtcTransport } from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { type OurSession, startOurSession } from "../src/our-session.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const jsSdkMembers: JsSdkMember[] = [];
const ourSessions: OurSession[] = [];

afterEach(async () => {
  await Promise.all(ourSessions.splice(0).map((ours) => ours.close()));
  await Promise.all(jsSdkMembers.splice(0).map((member) => member.stop()));
});

for (const dialect of ["legacy", "sticky"] as const) {
  it(`${dialect}: js-sdk's MatrixRTCSession and our session list each other`, async () => {
    const sticky = dialect === "sticky";
    const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
    const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
    const roomId = await createCallRoom(synapse, alice);
    await joinRoom(synapse, bob, roomId);

    const aliceTransport: RtcTransport = sticky
      ? { type: "livekit", livekit_service_url: "http://127.0.0.1:1/alice" }
      : { type: "livekit", livekit_service_url: "http://127.0.0.1:1/alice", livekit_alias: roomId };
    const bobTransport: RtcTransport = {
      type: "livekit",
      livekit_service_url: "http://127.0.0.1:1/bob",
      livekit_alias: roomId,
    };
    const jsSdk = await startJsSdkMember(
      synapse,
      alice,
      roomId,
      sticky ? { memberId: "6f1d2c3b-alice-sticky" } : {},
    );
    jsSdkMembers.push(jsSdk);
    const ours = await startOurSession(synapse, bob, roomId, { transport: bobTransport, dialect });
    ourSessions.push(ours);

    await jsSdk.join(aliceTransport, { sticky });
    await ours.join();
    const describe = () =>
      `ours: ${JSON.stringify(ours.session.memberships.map((m) => [m.userId, m.deviceId, m.createdTs]))}\njs-sdk: ${JSON.stringify(jsSdk.memberships().map((m) => [m.userId, m.deviceId, m.createdTs()]))}`;
    await waitUntil(
      () =>
        (ours.session.memberships.length === 2 && jsSdk.memberships().length === 2) || undefined,
      { description: "both sides list both members", explain: describe },
    );

    // Our session lists the js-sdk member as js-sdk itself does.
    const theirOwn = jsSdk.memberships().find((m) => m.userId === alice.userId);
    const theirOldest = jsSdk.session.getOldestMembership();
    if (theirOwn === undefined || theirOldest === undefined) throw new Error("js-sdk lists nobody");
    const ourAlice = ours.session.memberships.find((m) => m.userId === alice.userId);
    expect(ourAlice, describe()).toMatchObject({
      deviceId: "ALICEDEV",
      memberId: theirOwn.memberId,
      createdTs: theirOwn.createdTs(),
      eventId: theirOwn.eventId,
      dialect,
      transports: [aliceTransport],
      isLocal: false,
      focusStatus: { served: true, focusType: "livekit" },
    });
    expect(ourAlice?.transport).toEqual(theirOwn.getTransport(theirOldest));
    expect(ourAlice?.transport).toEqual(aliceTransport);

    // js-sdk lists ours: device, member id and transport as our session wrote them.
    const ourSelf = ours.session.memberships.find((m) => m.isLocal);
    const theirBob = jsSdk.memberships().find((m) => m.userId === bob.userId);
    expect(ourSelf?.userId).toBe(bob.userId);
    expect(theirBob?.deviceId).toBe("BOBDEV");
    expect(theirBob?.memberId).toBe(`${bob.userId}:BOBDEV`);
    expect(theirBob?.memberId).toBe(ourSelf?.memberId);
    expect(theirBob?.eventId).toBe(ourSelf?.eventId);
    expect(theirBob?.createdTs()).toBe(ourSelf?.createdTs);
    expect(theirBob?.transports).toEqual([bobTransport]);
    expect(theirBob?.getTransport(theirOldest)).toEqual(ourSelf?.transport);

    // Both name Alice (joined first) as the oldest member; the active transport:
    if (sticky) {
      // sticky: every member publishes on its own transport; our session connects to ours.
      expect(theirBob?.getTransport(theirOldest)).toEqual(bobTransport);
      expect(ours.session.transport).toEqual(bobTransport);
    } else {
      // legacy oldest_membership: everyone (js-sdk and our session) uses Alice's transport.
      expect(theirBob?.getTransport(theirOldest)).toEqual(aliceTransport);
      expect(ours.session.transport).toEqual(aliceTransport);
      expect(jsSdk.activeTransport()).toEqual(ours.session.transport);
    }
    expect(ours.session.memberships[0]?.userId).toBe(theirOldest.userId);
    // The reference focus connected to the transport the session chose.
    expect(ours.session.focusConnection).toBeDefined();

    // An intent change goes through the session's ordered update; js-sdk reads the re-send.
    await ours.session.update({ callIntent: "video" });
    const resent = await waitUntil(
      () => {
        const self = ours.session.memberships.find((m) => m.isLocal);
        const theirs = jsSdk.memberships().find((m) => m.userId === bob.userId);
        return self !== undefined &&
          self.eventId !== ourSelf?.eventId &&
          theirs?.eventId === self.eventId
          ? { self, theirs }
          : undefined;
      },
      { description: "both sides see our re-send after update()", explain: describe },
    );
    expect(resent.theirs.callIntent).toBe("video");
    // Our session keeps its first start time on both dialects.
    expect(resent.self.createdTs).toBe(ourSelf?.createdTs);
    if (sticky) {
      // js-sdk 43 takes each sticky event's own origin_server_ts (finding 2): it moves.
      expect(resent.theirs.createdTs()).toBeGreaterThan(ourSelf?.createdTs ?? Number.NaN);
    } else {
      // Legacy: the session wrote created_ts, so js-sdk keeps our place too.
      expect(resent.theirs.createdTs()).toBe(ourSelf?.createdTs);
      expect(jsSdk.session.getOldestMembership()?.userId).toBe(alice.userId);
    }

    // Our leave reaches js-sdk; js-sdk's leave reaches our session.
    await ours.leave();
    await waitUntil(() => !jsSdk.memberships().some((m) => m.userId === bob.userId) || undefined, {
      description: "js-sdk drops our membership after session.leave()",
      explain: describe,
    });
    await jsSdk.leave();
    await waitUntil(() => ours.session.memberships.length === 0 || undefined, {
      description: "our session drops the js-sdk membership after its leave",
      explain: describe,
    });
    expect(ours.session.transport).toBeUndefined();
  });
}
