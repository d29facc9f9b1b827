import type { DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import type { SessionMembership } from "@mxrtc/session";
import { describe, expect, it } from "vitest";
import { beforeSchedule, printMembershipChanges, timestampedPrinter } from "./join-output.js";

function member(userId: string, deviceId: string, extra: Partial<SessionMembership> = {}) {
  return {
    userId,
    deviceId,
    memberId: `${userId}:${deviceId}`,
    dialect: "legacy",
    transport: { type: "livekit" },
    isLocal: false,
    ...extra,
  } as SessionMembership;
}

describe("join output", () => {
  it("prints who left and who joined, with device, dialect, transport and 'us'", () => {
    const lines: string[] = [];
    const alice = member("@alice:x", "A", { isLocal: true });
    const bob = member("@bob:x", "B", { dialect: "sticky" });
    const carol = member("@carol:x", "C", { transport: undefined });
    printMembershipChanges((line) => lines.push(line), [alice, bob], [alice, carol]);
    expect(lines).toEqual([
      "- left: @bob:x device B (sticky, livekit)",
      "+ joined: @carol:x device C (legacy, no transport)",
    ]);
    lines.length = 0;
    printMembershipChanges((line) => lines.push(line), [], [alice]);
    expect(lines).toEqual(["+ joined: @alice:x device A (legacy, livekit, us)"]);
  });

  it("prefixes lines with the ISO time", () => {
    const out: string[] = [];
    timestampedPrinter(
      (text) => out.push(text),
      () => Date.parse("2026-11-25T00:00:00Z"),
    )("hi");
    expect(out).toEqual(["2026-11-25T00:00:00.000Z hi\n"]);
  });

  it("beforeSchedule runs the hook before each schedule and delegates everything", async () => {
    const calls: string[] = [];
    const inner = {
      specificationVersion: "v1",
      scheduleStateEvent: async () => {
        calls.push("state");
        return { delayId: "d1" };
      },
      scheduleMessageEvent: async () => {
        calls.push("message");
        return { delayId: "d2" };
      },
      restart: async (id: string) => void calls.push(`restart ${id}`),
      cancel: async (id: string) => void calls.push(`cancel ${id}`),
      send: async (id: string) => void calls.push(`send ${id}`),
      listScheduled: async () => [],
      limits: async () => ({ supported: true, api: "unstable" }),
    } as DelayedEventTransportV1;
    const wrapped = beforeSchedule(inner, () => calls.push("hook"));
    const input = { roomId: "!r:x", eventType: "t", content: {}, delayMs: 1000 };
    expect(await wrapped.scheduleStateEvent({ ...input, stateKey: "" })).toEqual({ delayId: "d1" });
    expect(await wrapped.scheduleMessageEvent(input)).toEqual({ delayId: "d2" });
    await wrapped.restart("d1");
    await wrapped.cancel("d1");
    await wrapped.send("d2");
    expect(await wrapped.limits()).toEqual({ supported: true, api: "unstable" });
    expect(calls).toEqual([
      "hook",
      "state",
      "hook",
      "message",
      "restart d1",
      "cancel d1",
      "send d2",
    ]);
  });
});
