/**
 * matrix-js-sdk 43 writes its membership (legacy state event, then sticky event) to a real
 * Synapse; we read the room with @mxrtc/matrix and @mxrtc/state and must see the same member.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { selectMemberships, selectMemberTransports, selectTransport } from "@mxrtc/state";
import { DEFAULT_SLOT_ID } from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { normaliseEvent } from "../src/normalise-event.js";
import { ourMember } from "../src/our-member.js";
import { readRoomOnce } from "../src/our-room-view.js";

const synapse = inject("synapse");
const started: JsSdkMember[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((member) => member.stop()));
});

for (const dialect of ["legacy", "sticky"] as const) {
  it(`reads the ${dialect} membership matrix-js-sdk 43 writes`, async () => {
    const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
    const observer = await registerUser(synapse, { deviceId: "OBSERVER" });
    const roomId = await createCallRoom(synapse, alice);
    await joinRoom(synapse, observer, roomId);
    const transport = {
      type: "livekit",
      livekit_service_url: "http://127.0.0.1:1/lk",
      livekit_alias: roomId,
    };

    // Element Call passes a random member id (uuidv4); so do we.
    const jsSdk = await startJsSdkMember(synapse, alice, roomId, {
      memberId: `e2c3f0d6-${dialect}-member`,
    });
    started.push(jsSdk);
    await jsSdk.join(transport, { sticky: dialect === "sticky" });
    const theirs = jsSdk.memberships();
    expect(theirs).toHaveLength(1);
    const their = theirs[0];
    if (their === undefined) throw new Error("unreachable");

    const { state, events } = await readRoomOnce(synapse, observer, roomId);
    const now = Date.now();
    const ours = selectMemberships(state, { slotId: DEFAULT_SLOT_ID, now });
    const wire = events.filter(
      (event) =>
        event.type === "org.matrix.msc3401.call.member" ||
        event.type === "org.matrix.msc4143.rtc.member",
    );
    const names = { [roomId]: "!room:localhost", [alice.userId]: "@alice:localhost" };
    console.log(
      `[wire] js-sdk 43 ${dialect} join as seen by /sync + /state:\n${JSON.stringify(
        wire.map((event) => normaliseEvent(event, names)),
        null,
        2,
      )}`,
    );

    expect(ours).toHaveLength(1);
    const mine = ours[0];
    expect(mine).toMatchObject({
      userId: alice.userId,
      deviceId: alice.deviceId,
      memberId: their.memberId,
      slotId: their.slotId,
      createdTs: their.createdTs(),
      dialect,
      eventId: their.eventId,
    });
    // js-sdk 43's legacy writer ignores the member id it is given and always writes
    // membershipID `${userId}:${deviceId}`; the sticky writer uses it (member.id, sticky key).
    expect(their.memberId).toBe(
      dialect === "legacy" ? `${alice.userId}:${alice.deviceId}` : jsSdk.memberId,
    );
    expect(mine?.transports).toEqual(their.transports);
    expect(mine?.transports).toEqual([
      dialect === "legacy"
        ? transport
        : // js-sdk's sticky writer keeps only type and livekit_service_url.
          { type: "livekit", livekit_service_url: transport.livekit_service_url },
    ]);
    // Where each member publishes: js-sdk's membership.getTransport(oldest) for every member.
    const oldest = jsSdk.session.getOldestMembership();
    expect(
      selectMemberTransports(state, { slotId: DEFAULT_SLOT_ID, now }).map(
        (entry) => entry.transport,
      ),
    ).toEqual(theirs.map((membership) => (oldest ? membership.getTransport(oldest) : undefined)));
    const active = jsSdk.activeTransport();
    expect(active).toBeDefined();
    if (dialect === "legacy") {
      // oldest_membership: one shared focus, the oldest member's foci_preferred[0].
      expect(selectTransport(state, { slotId: DEFAULT_SLOT_ID, now })).toEqual(active);
    } else {
      // Sticky members each publish on their own transport; @mxrtc/state names no shared one
      // (documented), while js-sdk's oldest.getTransport(oldest) is just the oldest's own.
      expect(selectTransport(state, { slotId: DEFAULT_SLOT_ID, now })).toBeUndefined();
    }

    if (dialect === "sticky") {
      // A client joining later, after enough traffic that the membership is out of its initial
      // timeline, gets it from the MSC4354 sticky section of /sync.
      const observerClient = ourMember(synapse, observer, roomId).matrix;
      for (let index = 0; index < 25; index += 1) {
        await observerClient.sendEvent(roomId, "m.room.message", {
          msgtype: "m.text",
          body: `${index}`,
        });
      }
      const late = await registerUser(synapse, { deviceId: "LATE" });
      await joinRoom(synapse, late, roomId);
      const lateRead = await readRoomOnce(synapse, late, roomId);
      expect(lateRead.stickySection.map((event) => event.event_id)).toContain(their.eventId);
      expect(
        selectMemberships(lateRead.state, { slotId: DEFAULT_SLOT_ID, now: Date.now() }),
      ).toMatchObject([
        { eventId: their.eventId, memberId: their.memberId, createdTs: their.createdTs() },
      ]);
    }

    // js-sdk leaves: a fresh read of the room no longer lists the member.
    await jsSdk.leave();
    const after = await readRoomOnce(synapse, observer, roomId);
    expect(selectMemberships(after.state, { slotId: DEFAULT_SLOT_ID, now: Date.now() })).toEqual(
      [],
    );
    const leaves = after.events.filter(
      (event) =>
        (event.type === "org.matrix.msc3401.call.member" ||
          event.type === "org.matrix.msc4143.rtc.member") &&
        !("member" in event.content) &&
        !("device_id" in event.content),
    );
    expect(leaves.length).toBeGreaterThanOrEqual(1);
    console.log(
      `[wire] js-sdk 43 ${dialect} leave:\n${JSON.stringify(
        leaves.map((event) => normaliseEvent(event, names)),
        null,
        2,
      )}`,
    );
  });
}
