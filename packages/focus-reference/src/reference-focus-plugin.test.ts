import { type FocusConnectOptionsV1, FocusError, type FocusMemberV1 } from "@mxrtc/focus";
import { createFakeFocusMatrixPort, createFakeLeavePort } from "@mxrtc/focus-testkit";
import { describe, expect, it } from "vitest";
import {
  createReferenceFocusController,
  createReferenceFocusPlugin,
  REFERENCE_FOCUS_TYPE,
  type ReferenceFocusController,
} from "./index.js";

const member = (name: string): FocusMemberV1 => ({
  userId: `@${name}:example.org`,
  deviceId: name.toUpperCase(),
  memberId: `${name}-1`,
  transports: [{ type: REFERENCE_FOCUS_TYPE }],
});

function connectOptions(overrides: Partial<FocusConnectOptionsV1> = {}) {
  const leavePort = createFakeLeavePort();
  const options: FocusConnectOptionsV1 = {
    transport: { type: REFERENCE_FOCUS_TYPE },
    roomId: "!room:example.org",
    slotId: "m.call#ROOM",
    localMember: { userId: "@alice:example.org", deviceId: "ALICE", memberId: "alice-1" },
    members: [member("bob")],
    leavePort,
    matrix: createFakeFocusMatrixPort(),
    signal: new AbortController().signal,
    ...overrides,
  };
  return { options, leavePort };
}

function recordEvents(
  connection: Awaited<ReturnType<ReturnType<typeof createReferenceFocusPlugin>["connect"]>>,
) {
  const events: string[] = [];
  connection.on("participant-joined", ({ participantId }) => events.push(`+${participantId}`));
  connection.on("participant-left", ({ participantId }) => events.push(`-${participantId}`));
  return events;
}

describe("createReferenceFocusPlugin", () => {
  it("is a v1 plugin serving io.mxrtc.reference by default, or the configured type", () => {
    expect(createReferenceFocusPlugin()).toMatchObject({
      specificationVersion: "v1",
      focusType: "io.mxrtc.reference",
    });
    expect(createReferenceFocusPlugin({ focusType: "livekit" }).focusType).toBe("livekit");
  });

  it("connects ready at once with the connect-time members as participants, without events", async () => {
    const { options } = connectOptions({ members: [member("bob"), member("carol")] });
    const connection = await createReferenceFocusPlugin().connect(options);
    await expect(connection.ready).resolves.toBeUndefined();
    expect(connection.state).toBe("connected");
    expect(connection.participants.map((participant) => participant.memberId)).toEqual([
      "bob-1",
      "carol-1",
    ]);
  });

  it("emits left then joined for the difference of updateMembers, by memberId", async () => {
    const { options } = connectOptions();
    const connection = await createReferenceFocusPlugin().connect(options);
    const events = recordEvents(connection);
    connection.updateMembers([member("bob"), member("carol")]);
    connection.updateMembers([member("carol"), member("dave")]);
    connection.updateMembers([member("carol"), member("dave")]);
    expect(events).toEqual(["+carol-1", "-bob-1", "+dave-1"]);
    expect(connection.participants.map((participant) => participant.memberId)).toEqual([
      "carol-1",
      "dave-1",
    ]);
  });

  it("ignores the local member and malformed entries", async () => {
    const { options } = connectOptions({ members: [] });
    const connection = await createReferenceFocusPlugin().connect(options);
    const events = recordEvents(connection);
    const local = { ...member("alice"), memberId: "alice-1" };
    const malformed = [
      null,
      7,
      { memberId: 5 },
      { memberId: "x", userId: "@x:y" },
    ] as unknown as FocusMemberV1[];
    connection.updateMembers([local, ...malformed, member("bob")]);
    connection.updateMembers("not a list" as unknown as FocusMemberV1[]);
    expect(events).toEqual(["+bob-1", "-bob-1"]);
  });

  it("rejects typed: aborted signal (with the reason as cause), another transport type", async () => {
    const plugin = createReferenceFocusPlugin();
    const controller = new AbortController();
    const reason = new Error("user hung up");
    controller.abort(reason);
    const aborted = await plugin
      .connect(connectOptions({ signal: controller.signal }).options)
      .catch((error: unknown) => error);
    expect(FocusError.isInstance(aborted)).toBe(true);
    expect(aborted).toMatchObject({
      code: "aborted",
      focusType: REFERENCE_FOCUS_TYPE,
      cause: reason,
    });
    const wrongType = await plugin
      .connect(connectOptions({ transport: { type: "livekit" } }).options)
      .catch((error: unknown) => error);
    expect(wrongType).toMatchObject({ code: "unsupported-transport", name: "FocusError" });
  });

  it("a listener that throws does not stop the others", async () => {
    const { options } = connectOptions({ members: [] });
    const connection = await createReferenceFocusPlugin().connect(options);
    const seen: string[] = [];
    const thrown: unknown[] = [];
    const originalQueueMicrotask = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (callback) => {
      try {
        callback();
      } catch (error) {
        thrown.push(error);
      }
    };
    try {
      connection.on("participant-joined", () => {
        throw new Error("listener bug");
      });
      connection.on("participant-joined", ({ participantId }) => seen.push(participantId));
      connection.updateMembers([member("bob")]);
    } finally {
      globalThis.queueMicrotask = originalQueueMicrotask;
    }
    expect(seen).toEqual(["bob-1"]);
    expect(thrown).toEqual([new Error("listener bug")]);
  });

  it("close is idempotent, silences events and never calls the leave port", async () => {
    const { options, leavePort } = connectOptions();
    const connection = await createReferenceFocusPlugin().connect(options);
    const events = recordEvents(connection);
    await Promise.all([connection.close(), connection.close()]);
    await connection.close();
    connection.updateMembers([member("carol")]);
    connection.on("participant-joined", () => events.push("late"))();
    expect(connection.state).toBe("closed");
    expect(connection.participants).toEqual([]);
    expect(events).toEqual([]);
    expect(leavePort.callCount).toBe(0);
  });
});

describe("createReferenceFocusController", () => {
  async function connected(controller: ReferenceFocusController) {
    const { options, leavePort } = connectOptions();
    const connection = await createReferenceFocusPlugin({ controller }).connect(options);
    return { connection, leavePort };
  }

  it("loseConnection reports once per open connection, after participant-left for everyone", async () => {
    const controller = createReferenceFocusController();
    const first = await connected(controller);
    const second = await connected(controller);
    expect(controller.openConnections).toBe(2);
    const order: string[] = [];
    first.connection.on("participant-left", ({ participantId }) => order.push(`-${participantId}`));
    first.leavePort.onReport((report) => order.push(`report ${report.reason}`));
    controller.loseConnection("server-left", "SFU shut down");
    controller.loseConnection();
    expect(order).toEqual(["-bob-1", "report server-left"]);
    expect(first.leavePort.reports).toEqual([{ reason: "server-left", message: "SFU shut down" }]);
    expect(second.leavePort.callCount).toBe(1);
    expect(first.connection.state).toBe("lost");
    expect(controller.openConnections).toBe(0);
    first.connection.updateMembers([member("carol")]);
    expect(first.connection.participants).toEqual([]);
  });

  it("loseConnection defaults to media-connection-lost and skips closed connections", async () => {
    const controller = createReferenceFocusController();
    const open = await connected(controller);
    const closed = await connected(controller);
    await closed.connection.close();
    controller.loseConnection();
    expect(open.leavePort.reports).toEqual([{ reason: "media-connection-lost" }]);
    expect(closed.leavePort.callCount).toBe(0);
  });

  it("refuses connections with a typed error until accepting again", async () => {
    const controller = createReferenceFocusController();
    const plugin = createReferenceFocusPlugin({ controller });
    controller.refuseConnections();
    await expect(plugin.connect(connectOptions().options)).rejects.toMatchObject({
      code: "connect-failed",
    });
    controller.refuseConnections("unauthorized");
    await expect(plugin.connect(connectOptions().options)).rejects.toMatchObject({
      code: "unauthorized",
    });
    controller.acceptConnections();
    await expect(plugin.connect(connectOptions().options)).resolves.toMatchObject({
      state: "connected",
    });
  });

  it("refuses a controller it did not create", () => {
    const foreign = {
      loseConnection() {},
      refuseConnections() {},
      acceptConnections() {},
      openConnections: 0,
    };
    expect(() => createReferenceFocusPlugin({ controller: foreign })).toThrow(TypeError);
  });
});
