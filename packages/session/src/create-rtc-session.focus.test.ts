import { afterEach, describe, expect, it, vi } from "vitest";
import { createFakeFocusPlugin } from "../test/fake-focus-plugin.js";
import { settle, setupSession } from "../test/harness.js";
import {
  ALICE,
  BOB,
  CAROL,
  legacyLeave,
  legacyMember,
  SFU_A,
  SFU_B,
} from "../test/room-fixtures.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("focus", () => {
  it("connects to the oldest member's transport, with the remote members and the leave port", async () => {
    const { session, focus, feed, echo } = setupSession();
    feed([legacyMember(BOB, "BOBDEV", [SFU_B], { ts: Date.now() - 5000 })]);
    expect(session.transport).toEqual(SFU_B);
    await session.join();
    echo();
    await settle(0);
    expect(focus.connections).toHaveLength(1);
    const options = focus.connections[0]?.options;
    expect(options?.transport).toEqual(SFU_B);
    expect(options?.localMember).toEqual({
      userId: ALICE,
      deviceId: "ALICEDEV",
      memberId: `${ALICE}:ALICEDEV`,
    });
    expect(options?.members.map((member) => [member.userId, member.deviceId])).toEqual([
      [BOB, "BOBDEV"],
    ]);
    expect(options?.leavePort).toBe(session.scheduler?.leavePort);
    expect(options?.matrix.userId).toBe(ALICE);
    expect(session.focusConnection).toBeDefined();
    await session.close();
  });

  it("does not reconnect when the oldest member leaves but the transport stays equal", async () => {
    const { session, focus, feed, echo } = setupSession();
    feed([
      legacyMember(BOB, "BOBDEV", [SFU_B], { ts: Date.now() - 5000 }),
      legacyMember(CAROL, "CAROLDEV", [{ ...SFU_B }], { ts: Date.now() - 4000 }),
    ]);
    await session.join();
    echo();
    await settle(0);
    feed([legacyLeave(BOB, "BOBDEV")]);
    await settle(0);
    expect(session.transport).toEqual(SFU_B);
    expect(focus.connections).toHaveLength(1);
    expect(focus.open).toHaveLength(1);
    expect(focus.connections[0]?.memberUpdates.at(-1)?.map((member) => member.userId)).toEqual([
      CAROL,
    ]);
    await session.close();
  });

  it("reconnects when the oldest member leaves and the transport changes", async () => {
    const { session, focus, feed, echo, events } = setupSession();
    feed([legacyMember(BOB, "BOBDEV", [SFU_B], { ts: Date.now() - 5000 })]);
    await session.join();
    echo();
    await settle(0);
    feed([legacyLeave(BOB, "BOBDEV")]);
    await settle(0);
    expect(session.transport).toEqual(SFU_A);
    expect(focus.connections).toHaveLength(2);
    expect(focus.connections[0]?.closed).toBe(true);
    expect(focus.connections[1]?.options.transport).toEqual(SFU_A);
    expect(focus.open).toHaveLength(1);
    const transports = events
      .filter((event) => event.name === "transport-changed")
      .map((event) => (event.payload as { transport: unknown }).transport);
    expect(transports).toEqual([SFU_B, SFU_A]);
    await session.close();
  });

  it("lists a member whose transport no plugin serves, with the reason, until a plugin comes", async () => {
    const { session, feed } = setupSession();
    const odd = { type: "x", url: "https://x.example.org" };
    feed([legacyMember(BOB, "BOBDEV", [odd], { focusSelection: "multi_sfu" })]);
    expect(session.memberships).toHaveLength(1);
    expect(session.memberships[0]?.focusStatus).toEqual({
      served: false,
      reason: "no plugin for transport type x",
    });
    const other = createFakeFocusPlugin("x");
    const unregister = session.registerPlugin(other.plugin);
    expect(session.memberships[0]?.focusStatus).toEqual({ served: true, focusType: "x" });
    unregister();
    expect(session.memberships[0]?.focusStatus.served).toBe(false);
    await session.close();
  });

  it("multi_sfu: connects to our own transport although the oldest member names another", async () => {
    const { session, focus, feed, echo } = setupSession({ focusSelection: "multi_sfu" });
    feed([legacyMember(BOB, "BOBDEV", [SFU_B], { ts: Date.now() - 5000 })]);
    await session.join();
    echo();
    await settle(0);
    expect(session.transport).toEqual(SFU_A);
    expect(focus.connections[0]?.options.transport).toEqual(SFU_A);
    await session.close();
  });

  it("connects once a plugin for the active transport is registered", async () => {
    const { session, echo } = setupSession({ plugins: [] });
    await session.join();
    echo();
    await settle(0);
    expect(session.focusConnection).toBeUndefined();
    expect(session.memberships[0]?.focusStatus.served).toBe(false);
    const late = createFakeFocusPlugin("livekit");
    session.registerPlugin(late.plugin);
    await settle(0);
    expect(late.connections).toHaveLength(1);
    await session.close();
  });

  it("reports a failed connect as a non-fatal focus-failed error and does not retry in a loop", async () => {
    const broken = createFakeFocusPlugin("livekit", { failConnect: new Error("no SFU") });
    const { session, echo, events, feed } = setupSession({ plugins: [broken.plugin] });
    await session.join();
    echo();
    await settle(0);
    feed([legacyMember(BOB, "BOBDEV", [SFU_A])]);
    await settle(0);
    const errors = events.filter((event) => event.name === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.payload).toMatchObject({ fatal: false, error: { code: "focus-failed" } });
    await session.close();
  });

  it("hands to-device events from sync batches to the plugin's matrix port", async () => {
    const { session, focus, fake, echo } = setupSession();
    await session.join();
    echo();
    await settle(0);
    const received: string[] = [];
    focus.connections[0]?.options.matrix.onToDevice((event) => received.push(event.type));
    session.applySyncBatch(
      fake.batch(
        "!other:example.org",
        {},
        { toDevice: [{ type: "m.call.invite", sender: BOB, content: {} }] },
      ),
    );
    expect(received).toEqual(["m.call.invite"]);
    await focus.connections[0]?.options.matrix.sendToDevice("m.call.candidates", {
      [BOB]: { BOBDEV: { a: 1 } },
    });
    expect(fake.toDeviceSent).toHaveLength(1);
    await session.close();
  });
});
