import type { FocusConnectionV1, FocusPluginV1 } from "@mxrtc/focus";
import { describe, expect, it } from "vitest";
import { createFakeFocusPlugin } from "../test/fake-focus-plugin.js";
import { createFakeMatrix } from "../test/fake-matrix.js";
import { SFU_A, SFU_B } from "../test/room-fixtures.js";
import { createFocusController, type FocusTarget } from "./focus-controller.js";
import { createFocusMatrixPort } from "./focus-matrix-port.js";

const leavePort = { specificationVersion: "v1", reportDisconnect: () => undefined } as const;
const matrix = createFocusMatrixPort(createFakeMatrix().port, { userId: "@a:hs", deviceId: "D" });
const target = (transport = SFU_A, members: FocusTarget["members"] = []): FocusTarget => ({
  transport,
  members,
  localMember: { userId: "@a:hs", deviceId: "D", memberId: "@a:hs:D" },
  leavePort,
  matrix,
});

describe("createFocusController", () => {
  it("aborts an in-flight connect when the target transport changes, and connects to the new one", async () => {
    const signals: AbortSignal[] = [];
    let release: (() => void) | undefined;
    const slow: FocusPluginV1 = {
      specificationVersion: "v1",
      focusType: "livekit",
      async connect(options) {
        signals.push(options.signal);
        if (signals.length === 1) await new Promise<void>((resolve) => (release = resolve));
        const closed = { value: false };
        const connection: FocusConnectionV1 & { closed: typeof closed } = {
          closed,
          ready: Promise.resolve(),
          updateMembers: () => undefined,
          on: () => () => undefined,
          close: async () => {
            closed.value = true;
          },
        };
        return connection;
      },
    };
    const focus = createFocusController({
      roomId: "!r:hs",
      slotId: "m.call#ROOM",
      pluginFor: () => slow,
      onError: () => undefined,
    });
    const first = focus.setTarget(target(SFU_A));
    const second = focus.setTarget(target(SFU_B));
    expect(signals[0]?.aborted).toBe(true);
    release?.();
    await Promise.all([first, second]);
    expect(signals).toHaveLength(2);
    expect(focus.transport).toEqual(SFU_B);
    await focus.close();
    expect(focus.connection).toBeUndefined();
  });

  it("does not retry a failed transport until retry(), then connects", async () => {
    let fail = true;
    const working = createFakeFocusPlugin("livekit");
    const flaky: FocusPluginV1 = {
      ...working.plugin,
      connect: (options) =>
        fail ? Promise.reject(new Error("no SFU")) : working.plugin.connect(options),
    };
    const errors: unknown[] = [];
    const focus = createFocusController({
      roomId: "!r:hs",
      slotId: "m.call#ROOM",
      pluginFor: () => flaky,
      onError: (error) => errors.push(error),
    });
    await focus.setTarget(target());
    await focus.setTarget(
      target(SFU_A, [{ userId: "@b:hs", deviceId: "B", memberId: "b", transports: [] }]),
    );
    expect(errors).toHaveLength(1);
    fail = false;
    await focus.retry();
    expect(working.connections).toHaveLength(1);
    expect(working.connections[0]?.options.members.map((member) => member.memberId)).toEqual(["b"]);
    await focus.close();
    expect(working.connections[0]?.closed).toBe(true);
  });

  it("forwards only real member changes and hands the latest delay id to a delegating connection", async () => {
    const plugin = createFakeFocusPlugin("livekit", { delegation: true });
    const focus = createFocusController({
      roomId: "!r:hs",
      slotId: "m.call#ROOM",
      pluginFor: () => plugin.plugin,
      onError: () => undefined,
    });
    focus.delegate({ delayId: "d1", delayMs: 8000 });
    const bob = { userId: "@b:hs", deviceId: "B", memberId: "b", transports: [SFU_A] };
    await focus.setTarget(target(SFU_A, [bob]));
    await focus.setTarget(target({ ...SFU_A }, [{ ...bob, transports: [{ ...SFU_A }] }]));
    expect(plugin.connections[0]?.memberUpdates).toEqual([]);
    await focus.setTarget(target(SFU_A, []));
    expect(plugin.connections[0]?.memberUpdates).toEqual([[]]);
    focus.delegate({ delayId: "d2", delayMs: 8000 });
    await Promise.resolve();
    expect(plugin.connections[0]?.delegations.map((delegation) => delegation.delayId)).toEqual([
      "d1",
      "d2",
    ]);
    await focus.close();
  });
});
