/**
 * We write memberships with the @mxrtc/types writers (legacy state event, then sticky event);
 * a running matrix-js-sdk 43 client in the same room must list us, and drop us when we leave.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { legacyLivekitIdentity, livekitIdentity, MEDIASOUP_TRANSPORT_TYPE } from "@mxrtc/types";
import { afterEach, expect, inject, it } from "vitest";
import { type JsSdkMember, startJsSdkMember } from "../src/js-sdk-member.js";
import { ourMember } from "../src/our-member.js";
import { waitUntil } from "../src/wait-until.js";

const synapse = inject("synapse");
const started: JsSdkMember[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((member) => member.stop()));
});

for (const dialect of ["legacy", "sticky"] as const) {
  it(`matrix-js-sdk 43 lists our ${dialect} membership and drops it when we leave`, async () => {
    const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
    const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
    const roomId = await createCallRoom(synapse, alice);
    await joinRoom(synapse, bob, roomId);
    const jsSdk = await startJsSdkMember(synapse, alice, roomId);
    started.push(jsSdk);
    expect(jsSdk.memberships()).toEqual([]);

    // A member id that is not the js-sdk default, so we see that js-sdk reads ours.
    const memberId = `mxrtc-${dialect}-${bob.deviceId}`;
    const us = ourMember(synapse, bob, roomId, { memberId });
    const transport = {
      type: "livekit",
      livekit_service_url: "http://127.0.0.1:1/bob",
      livekit_alias: roomId,
    };
    if (dialect === "legacy") await us.joinLegacy(transport);
    else await us.joinSticky(transport);

    const listed = await waitUntil(
      () => jsSdk.memberships().find((membership) => membership.userId === bob.userId),
      {
        description: `js-sdk lists ${bob.userId}`,
        explain: () => JSON.stringify(jsSdk.memberships().map((m) => m.userId)),
      },
    );
    expect(jsSdk.memberships()).toHaveLength(1);
    expect(listed.deviceId).toBe(bob.deviceId);
    expect(listed.memberId).toBe(memberId);
    expect(listed.slotId).toBe("m.call#ROOM");
    expect(listed.transports).toEqual([transport]);
    expect(listed.getTransport(listed)).toEqual(transport);
    expect(jsSdk.activeTransport()).toEqual(transport);
    // The LiveKit participant identity js-sdk derives equals ours (MSC4195 hash for sticky,
    // `${sender}:${device_id}` for legacy, whatever membershipID says).
    if (dialect === "sticky") {
      expect(listed.rtcBackendIdentity).toBe(
        await livekitIdentity(bob.userId, bob.deviceId, memberId),
      );
    } else {
      expect(listed.rtcBackendIdentity).toBe(legacyLivekitIdentity(bob.userId, bob.deviceId));
    }

    if (dialect === "legacy") await us.leaveLegacy();
    else await us.leaveSticky();
    await waitUntil(
      () =>
        jsSdk.memberships().every((membership) => membership.userId !== bob.userId) || undefined,
      { description: `js-sdk drops ${bob.userId} after our ${dialect} leave` },
    );
    expect(jsSdk.memberships()).toEqual([]);
  });
}

for (const dialect of ["legacy", "sticky"] as const) {
  it(`matrix-js-sdk 43 keeps our non-LiveKit transport verbatim (${dialect})`, async () => {
    const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
    const bob = await registerUser(synapse, { deviceId: "BOBDEV" });
    const roomId = await createCallRoom(synapse, alice);
    await joinRoom(synapse, bob, roomId);
    const jsSdk = await startJsSdkMember(synapse, alice, roomId);
    started.push(jsSdk);

    const mediasoup = {
      type: MEDIASOUP_TRANSPORT_TYPE,
      signalling_url: "ws://127.0.0.1:1/mediasoup",
    };
    const us = ourMember(synapse, bob, roomId);
    const content =
      dialect === "legacy" ? await us.joinLegacy(mediasoup) : await us.joinSticky(mediasoup);
    if (dialect === "legacy") {
      expect(content.focus_active).toEqual({
        type: MEDIASOUP_TRANSPORT_TYPE,
        focus_selection: "oldest_membership",
      });
    } else {
      expect(content.transports).toEqual({
        published: [mediasoup],
        can_subscribe: [MEDIASOUP_TRANSPORT_TYPE],
      });
    }
    const listed = await waitUntil(() => jsSdk.memberships()[0], {
      description: "js-sdk lists our mediasoup member",
    });
    expect(listed.userId).toBe(bob.userId);
    expect(listed.transports).toEqual([mediasoup]);
    // js-sdk would connect a legacy oldest_membership joiner, or subscribe to a sticky member, here.
    expect(listed.getTransport(listed)).toEqual(mediasoup);
    expect(jsSdk.activeTransport()).toEqual(mediasoup);
  });
}
