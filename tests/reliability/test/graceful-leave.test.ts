/**
 * Graceful leave proof: `leave()` empties the membership for other clients within 1 s and leaves
 * no delayed event of ours on the server.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createCallMember } from "../src/call-member.js";
import { type CallRoom, setUpCallRoom } from "../src/call-room.js";
import { PROOF_DELAY_MS } from "../src/proof-settings.js";
import { listDelayedEvents } from "../src/raw-matrix.js";
import { recordMeasurement } from "../src/record-measurement.js";

const synapse = inject("synapse");
let room: CallRoom;

beforeAll(async () => {
  room = await setUpCallRoom(synapse, { memberCount: 2 });
});

afterAll(async () => {
  await room?.watcher.stop();
});

describe("a member that leaves gracefully", () => {
  it.each([
    { when: "right after joining", heartbeatWaitMs: 0, memberIndex: 0 },
    { when: "after heartbeating for a while", heartbeatWaitMs: 6_000, memberIndex: 1 },
  ])("$when: is gone within 1 s and leaves no delayed event behind", async (scenario) => {
    const user = room.members[scenario.memberIndex];
    if (user === undefined) throw new Error("no member registered");
    const account = { baseUrl: synapse.baseUrl, accessToken: user.accessToken };
    const member = createCallMember({
      baseUrl: synapse.baseUrl,
      accessToken: user.accessToken,
      userId: user.userId,
      deviceId: user.deviceId,
      roomId: room.roomId,
      delayMs: PROOF_DELAY_MS,
    });
    try {
      await member.join();
      await room.watcher.waitFor(() => room.watcher.isLive(member.stateKey) === true, {
        timeoutMs: 10_000,
        label: "observer sees the membership",
      });
      await new Promise((resolve) => setTimeout(resolve, scenario.heartbeatWaitMs));
      expect((await listDelayedEvents(account)).length, "delayed leave armed").toBeGreaterThan(0);

      const leaveTs = Date.now();
      await member.leave();
      const leaveResolvedMs = Date.now() - leaveTs;
      const left = await room.watcher.waitFor(
        (change) => change?.stateKey === member.stateKey && !change.live,
        { timeoutMs: 10_000, label: "observer sees the membership empty" },
      );
      const leaveToEmptyMs = (left?.seenTs ?? Number.NaN) - leaveTs;
      const remaining = await listDelayedEvents(account);
      recordMeasurement(`graceful-leave-${scenario.memberIndex}`, {
        scenario: scenario.when,
        leaveToEmptyMs,
        leaveResolvedMs,
        remainingDelayedEvents: remaining.length,
      });
      expect(leaveToEmptyMs).toBeLessThanOrEqual(1_000);
      expect(remaining, "delayed events left on the server").toEqual([]);
    } finally {
      await member.close().catch(() => undefined);
    }
  });
});
