/**
 * Two real sessions (alice, bob) over `createMatrixClient` against the stack's Synapse, with the
 * no-media reference focus plugin (`@mxrtc/focus-reference`) standing in for "livekit".
 */
import { createDelayedEventTransport } from "@mxrtc/delayed-events";
import {
  createReferenceFocusController,
  createReferenceFocusPlugin,
  type ReferenceFocusConnection,
} from "@mxrtc/focus-reference";
import { createMatrixClient, type MatrixPort } from "@mxrtc/matrix";
import { createCallRoom, joinRoom, type RegisteredUser, registerUser } from "@mxrtc/stack";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { createRtcSession } from "../src/create-rtc-session.js";
import { SessionError } from "../src/session-error.js";
import type { RtcSession, RtcSessionOptions } from "../src/session-options.js";
import { waitFor } from "./wait-for.js";

const synapse = inject("synapse");

let alice: RegisteredUser;
let bob: RegisteredUser;
const sessions: RtcSession[] = [];

beforeAll(async () => {
  alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  bob = await registerUser(synapse, { deviceId: "BOBDEV" });
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
});

function clientOf(user: RegisteredUser): MatrixPort {
  return createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: user.accessToken });
}

function transportFor(roomId: string, name: string) {
  return {
    type: "livekit",
    livekit_service_url: `http://127.0.0.1:9/${name}`,
    livekit_alias: roomId,
  };
}

function open(user: RegisteredUser, roomId: string, extra: Partial<RtcSessionOptions> = {}) {
  const controller = createReferenceFocusController();
  const plugin = createReferenceFocusPlugin({ focusType: "livekit", controller });
  const session = createRtcSession({
    matrix: clientOf(user),
    roomId,
    plugins: [plugin],
    transports: [transportFor(roomId, user.deviceId)],
    ...extra,
  });
  sessions.push(session);
  const connection = () => session.focusConnection as ReferenceFocusConnection | undefined;
  return { session, controller, connection };
}

async function sharedRoom(memberLevel?: number): Promise<string> {
  const roomId = await createCallRoom(synapse, alice, {
    invite: [bob.userId],
    ...(memberLevel !== undefined && { memberLevel }),
  });
  await joinRoom(synapse, bob, roomId);
  return roomId;
}

describe("session against Synapse", () => {
  it("alice and bob list each other with the right device and transport; bob's leave reaches alice within 2 s", async () => {
    const roomId = await sharedRoom();
    const a = open(alice, roomId);
    const b = open(bob, roomId);
    await a.session.join();
    await b.session.join();
    const listed = (session: RtcSession, userId: string) =>
      session.memberships.find((member) => member.userId === userId);
    await waitFor("both lists complete", () =>
      [a.session, b.session].every(
        (session) => listed(session, alice.userId) && listed(session, bob.userId),
      ),
    );
    expect(listed(a.session, bob.userId)).toMatchObject({
      deviceId: "BOBDEV",
      dialect: "legacy",
      isLocal: false,
      transports: [transportFor(roomId, "BOBDEV")],
      focusStatus: { served: true, focusType: "livekit" },
    });
    expect(listed(b.session, alice.userId)).toMatchObject({
      deviceId: "ALICEDEV",
      transports: [transportFor(roomId, "ALICEDEV")],
    });
    // alice joined first: her transport is the call's (oldest_membership) for both.
    expect(a.session.transport).toEqual(transportFor(roomId, "ALICEDEV"));
    expect(b.session.transport).toEqual(transportFor(roomId, "ALICEDEV"));
    await waitFor("bob's focus sees alice", () =>
      (b.connection()?.participants ?? []).some((member) => member.userId === alice.userId),
    );
    await waitFor("alice's focus sees bob", () =>
      (a.connection()?.participants ?? []).some((member) => member.userId === bob.userId),
    );

    await b.session.leave();
    const elapsed = await waitFor(
      "alice sees bob leave",
      () => !listed(a.session, bob.userId),
      2000,
    );
    expect(elapsed).toBeLessThanOrEqual(2000);
    expect(b.controller.openConnections).toBe(0);
    expect(a.controller.openConnections).toBe(1);
    await waitFor("alice's focus drops bob", () =>
      (a.connection()?.participants ?? []).every((member) => member.userId !== bob.userId),
    );
  });

  it("a room where level 0 cannot send call.member: insufficient-power-level, no delayed event left", async () => {
    const roomId = await sharedRoom(50);
    const calls: string[] = [];
    const real = createDelayedEventTransport({ matrix: clientOf(bob) });
    const recorded = {
      ...real,
      scheduleStateEvent: async (input: Parameters<typeof real.scheduleStateEvent>[0]) => {
        const result = await real.scheduleStateEvent(input);
        calls.push(`schedule ${result.delayId}`);
        return result;
      },
      cancel: async (delayId: string, options?: Parameters<typeof real.cancel>[1]) => {
        calls.push(`cancel ${delayId}`);
        return real.cancel(delayId, options);
      },
    };
    const b = open(bob, roomId, { delayedEvents: recorded });
    const error = await b.session.join().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(SessionError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: "insufficient-power-level",
      eventType: "org.matrix.msc3401.call.member",
      requiredPowerLevel: 50,
      userPowerLevel: 0,
    });
    // The leave was armed first, then cancelled when the membership PUT was refused.
    const delayId = calls[0]?.replace("schedule ", "");
    expect(calls.slice(0, 2)).toEqual([`schedule ${delayId}`, `cancel ${delayId}`]);
    const scheduled = await real.listScheduled();
    expect(scheduled.filter((event) => event.roomId === roomId)).toEqual([]);
    expect(b.session.joinState).toBe("left");
  });

  it("sticky join works, and alice (legacy) lists bob (sticky)", async () => {
    const roomId = await sharedRoom();
    const a = open(alice, roomId);
    const b = open(bob, roomId, { dialect: "sticky" });
    await a.session.join();
    await b.session.join();
    await waitFor("alice lists bob", () =>
      a.session.memberships.some((member) => member.userId === bob.userId),
    );
    expect(a.session.memberships.find((member) => member.userId === bob.userId)).toMatchObject({
      dialect: "sticky",
      deviceId: "BOBDEV",
      transports: [transportFor(roomId, "BOBDEV")],
    });
    await waitFor("bob lists himself", () =>
      b.session.memberships.some((member) => member.isLocal && member.dialect === "sticky"),
    );
    await b.session.leave();
    await waitFor("alice sees bob's sticky leave", () =>
      a.session.memberships.every((member) => member.userId !== bob.userId),
    );
  });

  it("media lost for good: the plugin's leave port sends bob's leave, alice sees it within 2 s", async () => {
    const roomId = await sharedRoom();
    const a = open(alice, roomId);
    const b = open(bob, roomId);
    await a.session.join();
    await b.session.join();
    await waitFor("alice lists bob", () =>
      a.session.memberships.some((member) => member.userId === bob.userId),
    );
    await waitFor("bob's focus connected", () => b.controller.openConnections === 1);
    b.controller.loseConnection("media-connection-lost");
    const elapsed = await waitFor(
      "alice sees bob gone",
      () => a.session.memberships.every((member) => member.userId !== bob.userId),
      2000,
    );
    expect(elapsed).toBeLessThanOrEqual(2000);
    await waitFor("bob's session left", () => b.session.joinState === "left");
  });
});
