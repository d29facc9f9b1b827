import { livekitIdentity } from "@mxrtc/types";
import { describe, expect, it } from "vitest";
import { LivekitFocusError } from "./livekit-focus-error.js";
import { createLivekitFocusPlugin } from "./livekit-focus-plugin.js";
import {
  BOB,
  CAROL,
  CAROL_IDENTITY,
  connectFixture,
  nextTask,
  recordEvents,
} from "./test-support/connect-fixture.js";
import { FAKE_SFU_URL } from "./test-support/fake-token-service.js";

async function rejection(promise: Promise<unknown>): Promise<LivekitFocusError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!LivekitFocusError.isInstance(error))
    throw new Error(`expected a LivekitFocusError: ${String(error)}`);
  return error;
}

describe("createLivekitFocusPlugin: connect", () => {
  it("gets a token with the local member and the host's OpenID token, then joins the room with it", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    await connection.ready;
    expect(fixture.matrix.openIdRequests).toBe(1);
    expect(fixture.service.requests).toHaveLength(1);
    expect(fixture.service.requests[0]?.url).toBe("http://livekit-jwt.test/get_token");
    expect(fixture.service.requests[0]?.body).toMatchObject({
      room_id: "!room:example.org",
      slot_id: "m.call#ROOM",
      openid_token: { access_token: "fake-openid-1", matrix_server_name: "example.org" },
      member: {
        id: "alice-member",
        claimed_user_id: "@alice:example.org",
        claimed_device_id: "ALICEDEVICE",
      },
    });
    expect(fixture.room.connectCalls).toEqual([{ url: FAKE_SFU_URL, token: "jwt-get-token" }]);
    expect(connection.tokenEndpoint).toBe("get_token");
    expect(fixture.room.published).toEqual([]); // default: publish nothing
    await connection.close();
  });

  it.each([
    [{ type: "livekit" }, "no url"],
    [{ type: "livekit", livekit_service_url: 42 }, "a number"],
    [{ type: "livekit", livekit_service_url: "ftp://x.test" }, "not http"],
    [{ type: "livekit", livekit_service_url: "not a url" }, "not a url"],
    [{ type: "full_mesh" }, "another type"],
  ])("rejects %j (%s) as unsupported-transport without a request", async (transport, _why) => {
    const fixture = await connectFixture();
    const error = await rejection(
      fixture.plugin.connect({
        transport,
        roomId: "!room:example.org",
        slotId: "m.call#ROOM",
        localMember: { userId: "@alice:example.org", deviceId: "A", memberId: "m" },
        members: [],
        leavePort: fixture.leavePort,
        matrix: fixture.matrix,
        signal: new AbortController().signal,
      }),
    );
    expect(error.code).toBe("unsupported-transport");
    expect(fixture.service.requests).toEqual([]);
  });

  it("says openid-failed when the homeserver gives no OpenID token", async () => {
    const fixture = await connectFixture();
    fixture.matrix.failOpenIdWith(new Error("M_FORBIDDEN"));
    expect((await rejection(fixture.connect())).code).toBe("openid-failed");
    expect(fixture.service.requests).toEqual([]);
  });

  it("says connect-failed when the room does not connect, and disconnects it", async () => {
    const fixture = await connectFixture({
      room: { connectError: new Error("could not establish pc connection") },
    });
    const error = await rejection(fixture.connect());
    expect(error.code).toBe("connect-failed");
    expect(fixture.room.disconnectCalls).toHaveLength(1);
    expect(fixture.room.listenerCount).toBe(0);
    expect(fixture.leavePort.callCount).toBe(0);
  });

  it("disconnects the room and says aborted when the signal aborts during the room connect", async () => {
    const controller = new AbortController();
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const fixture = await connectFixture({
      room: { connectGate: gate },
      signal: controller.signal,
    });
    const attempt = fixture.connect();
    while (fixture.room.connectCalls.length === 0)
      await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort(new Error("host moved on"));
    expect((await rejection(attempt)).code).toBe("aborted");
    expect(fixture.room.disconnectCalls).toHaveLength(1);
    open();
  });

  it("publishes given tracks without owning them, and stops tracks it got from a function on close", async () => {
    const stopped: string[] = [];
    const track = (kind: string) => ({ kind, stop: () => stopped.push(kind) });
    const given = [track("audio")];
    const first = await connectFixture({ plugin: { publish: given } });
    const withGiven = await first.connect();
    await withGiven.ready;
    expect(first.room.published).toEqual(given);
    await withGiven.close();
    expect(first.room.disconnectCalls).toEqual([false]);
    expect(stopped).toEqual([]);

    const second = await connectFixture({ plugin: { publish: () => [track("video")] } });
    const withOwned = await second.connect();
    await withOwned.ready;
    expect(second.room.published.map((entry) => entry.kind)).toEqual(["video"]);
    await withOwned.close();
    expect(stopped).toEqual(["video"]);
  });

  it("rejects ready with publish-failed when getting the tracks fails, and reports nothing", async () => {
    const fixture = await connectFixture({
      plugin: {
        publish: async () => {
          throw new DOMException("Permission denied", "NotAllowedError");
        },
      },
    });
    const connection = await fixture.connect();
    expect((await rejection(connection.ready)).code).toBe("publish-failed");
    expect(fixture.leavePort.callCount).toBe(0);
    await connection.close();
  });
});

describe("createLivekitFocusPlugin: participants and tracks", () => {
  it("maps a sticky member's MSC4195 identity and a legacy member's user:device identity", async () => {
    const bobIdentity = await livekitIdentity(BOB.userId, BOB.deviceId, BOB.memberId);
    const fixture = await connectFixture({
      members: [BOB, CAROL],
      room: { initialParticipants: [{ identity: bobIdentity }] },
    });
    const connection = await fixture.connect();
    const events = recordEvents(connection);
    await nextTask(); // participants already in the room are announced a task later
    fixture.room.join(CAROL_IDENTITY);
    fixture.room.join("stranger");
    expect(events).toEqual([
      `joined bob-member-1 as ${bobIdentity}`,
      `joined ${CAROL.memberId} as ${CAROL_IDENTITY}`,
    ]);
    expect(connection.participants).toEqual([
      { participantId: bobIdentity, member: BOB },
      { participantId: CAROL_IDENTITY, member: CAROL },
      { participantId: "stranger", member: undefined },
    ]);
    fixture.room.leave(CAROL_IDENTITY);
    expect(events.at(-1)).toBe(`left ${CAROL.memberId} as ${CAROL_IDENTITY}`);
    await connection.close();
  });

  it("announces a participant when updateMembers makes its identity known, and a left member", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    const events = recordEvents(connection);
    fixture.room.join(CAROL_IDENTITY);
    expect(events).toEqual([]);
    connection.updateMembers([CAROL]);
    await nextTask();
    expect(events).toEqual([`joined ${CAROL.memberId} as ${CAROL_IDENTITY}`]);
    connection.updateMembers([]);
    await nextTask();
    expect(events.at(-1)).toBe(`left ${CAROL.memberId} as ${CAROL_IDENTITY}`);
    expect(connection.participants).toEqual([{ participantId: CAROL_IDENTITY, member: undefined }]);
    await connection.close();
  });

  it("emits track-added for subscribed audio and video, track-removed on unsubscribe and departure", async () => {
    const fixture = await connectFixture({ members: [CAROL] });
    const connection = await fixture.connect();
    const events = recordEvents(connection);
    fixture.room.join(CAROL_IDENTITY, [{ trackSid: "TR_old", kind: "audio", isSubscribed: true }]);
    fixture.room.subscribe(CAROL_IDENTITY, { trackSid: "TR_cam", kind: "video" });
    fixture.room.subscribe(CAROL_IDENTITY, { trackSid: "TR_data", kind: "data" });
    fixture.room.emit(
      "trackUnsubscribed",
      {},
      { trackSid: "TR_cam", kind: "video" },
      { identity: CAROL_IDENTITY },
    );
    fixture.room.leave(CAROL_IDENTITY);
    expect(events).toEqual([
      `joined ${CAROL.memberId} as ${CAROL_IDENTITY}`,
      `track+ ${CAROL_IDENTITY} audio TR_old`,
      `track+ ${CAROL_IDENTITY} video TR_cam`,
      `track- ${CAROL_IDENTITY} TR_cam`,
      `track- ${CAROL_IDENTITY} TR_old`,
      `left ${CAROL.memberId} as ${CAROL_IDENTITY}`,
    ]);
    await connection.close();
  });
});

describe("createLivekitFocusPlugin: disconnects", () => {
  it("reports nothing for a client-initiated disconnect", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    fixture.room.emit("disconnected", 1);
    expect(connection.state).toBe("disconnected");
    expect(fixture.leavePort.callCount).toBe(0);
    await connection.close();
    expect(fixture.leavePort.callCount).toBe(0);
  });

  it("reports nothing when a reconnect succeeds", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    fixture.room.emit("signalReconnecting");
    fixture.room.emit("reconnecting");
    fixture.room.emit("reconnected");
    await nextTask();
    expect(fixture.leavePort.callCount).toBe(0);
    expect(connection.state).toBe("connected");
    await connection.close();
  });

  it("reports a failed reconnect exactly once, with everyone leaving first", async () => {
    const fixture = await connectFixture({ members: [CAROL] });
    const connection = await fixture.connect();
    const events = recordEvents(connection);
    fixture.room.join(CAROL_IDENTITY);
    fixture.room.emit("reconnecting");
    fixture.room.emit("disconnected", 9);
    fixture.room.emit("disconnected", 9);
    connection.updateMembers([CAROL]);
    await nextTask();
    expect(fixture.leavePort.reports).toHaveLength(1);
    expect(fixture.leavePort.reports[0]).toMatchObject({
      reason: "reconnect-failed",
      message: "the LiveKit room disconnected (SIGNAL_CLOSE, while reconnecting)",
    });
    expect(events.at(-1)).toBe(`left ${CAROL.memberId} as ${CAROL_IDENTITY}`);
    expect(connection.state).toBe("lost");
    expect(fixture.room.listenerCount).toBe(0);
    await connection.close();
    expect(fixture.leavePort.callCount).toBe(1);
  });

  it.each([
    [4, "kicked"],
    [3, "server-left"],
    [15, "media-connection-lost"],
    [undefined, "media-connection-lost"],
  ])("reports LiveKit reason %s as %s", async (reason, expected) => {
    const fixture = await connectFixture();
    await fixture.connect();
    fixture.room.emit("disconnected", reason);
    expect(fixture.leavePort.reports.map((report) => report.reason)).toEqual([expected]);
  });

  it("close() disconnects the room, reports nothing, and nothing is reported afterwards", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    const events = recordEvents(connection);
    await Promise.all([connection.close(), connection.close()]);
    await connection.close();
    expect(fixture.room.disconnectCalls).toEqual([false]);
    fixture.room.emit("disconnected", 9);
    fixture.room.join(CAROL_IDENTITY);
    connection.updateMembers([CAROL]);
    await nextTask();
    expect(fixture.leavePort.callCount).toBe(0);
    expect(events).toEqual([]);
    expect(connection.state).toBe("closed");
  });
});

describe("createLivekitFocusPlugin: aborts between steps", () => {
  it("rejects aborted without connecting when the signal aborts while the room is created", async () => {
    const controller = new AbortController();
    const fixture = await connectFixture({ signal: controller.signal });
    const plugin = createLivekitFocusPlugin({
      fetch: fixture.service.fetch,
      createRoom: async () => {
        controller.abort(new Error("host moved on"));
        return fixture.room;
      },
    });
    const error = await rejection(
      plugin.connect({
        transport: { type: "livekit", livekit_service_url: "http://livekit-jwt.test" },
        roomId: "!room:example.org",
        slotId: "m.call#ROOM",
        localMember: { userId: "@alice:example.org", deviceId: "ALICEDEVICE", memberId: "m" },
        members: [],
        leavePort: fixture.leavePort,
        matrix: fixture.matrix,
        signal: controller.signal,
      }),
    );
    expect(error.code).toBe("aborted");
    expect(fixture.room.connectCalls).toEqual([]);
  });

  it("says connect-failed when the room cannot be created (livekit-client missing or failing)", async () => {
    const fixture = await connectFixture({
      plugin: {
        createRoom: () => {
          throw new ReferenceError("navigator is not defined");
        },
      },
    });
    const error = await rejection(fixture.connect());
    expect(error.code).toBe("connect-failed");
    expect(error.cause).toBeInstanceOf(ReferenceError);
  });

  it("survives a publish function that returns garbage: ready rejects, close still works", async () => {
    const fixture = await connectFixture({
      plugin: { publish: () => undefined as unknown as readonly never[] },
    });
    const connection = await fixture.connect();
    expect((await rejection(connection.ready)).code).toBe("publish-failed");
    await expect(connection.close()).resolves.toBeUndefined();
  });
});
