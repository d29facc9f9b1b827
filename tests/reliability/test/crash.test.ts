/**
 * Crash proof: a member process joins a call (legacy membership, delayed leave armed by the leave
 * scheduler) and is SIGKILLed; another client's /sync sees the membership empty within delay + 2 s.
 */
import type {} from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type CallRoom, setUpCallRoom } from "../src/call-room.js";
import { CALL_MEMBER_EVENT_TYPE } from "../src/legacy-call-membership.js";
import { startMatrixSyncObserver } from "../src/matrix-sync-observer.js";
import { PROOF_DELAY_MS } from "../src/proof-settings.js";
import { listDelayedEvents } from "../src/raw-matrix.js";
import { recordMeasurement } from "../src/record-measurement.js";
import { spawnMemberProcess } from "../src/spawn-member-process.js";

const synapse = inject("synapse");
let room: CallRoom;

beforeAll(async () => {
  room = await setUpCallRoom(synapse, { memberCount: 1 });
});

afterAll(async () => {
  await room?.watcher.stop();
});

describe("a member process that is SIGKILLed", () => {
  it("disappears from the room for other clients within delay + 2 s", async () => {
    const user = room.members[0];
    if (user === undefined) throw new Error("no member registered");
    const member = await spawnMemberProcess({
      baseUrl: synapse.baseUrl,
      accessToken: user.accessToken,
      userId: user.userId,
      deviceId: user.deviceId,
      roomId: room.roomId,
      delayMs: PROOF_DELAY_MS,
    });
    try {
      const joined = await room.watcher.waitFor(
        () => room.watcher.isLive(member.stateKey) === true,
        { timeoutMs: 10_000, label: "observer sees the membership" },
      );
      const scheduled = await listDelayedEvents({
        baseUrl: synapse.baseUrl,
        accessToken: user.accessToken,
      });
      expect(
        scheduled.filter(
          (event) => event.room_id === room.roomId && event.state_key === member.stateKey,
        ),
        "the delayed leave is armed on the server",
      ).toHaveLength(1);

      // Alive for longer than the delay: only the heartbeat can keep it in the room.
      await new Promise((resolve) => setTimeout(resolve, PROOF_DELAY_MS + 1_500));
      expect(room.watcher.isLive(member.stateKey), "still in the call after one delay").toBe(true);

      // A second observer on @mxrtc/matrix's own sync loop must see the same leave.
      const matrixObserver = startMatrixSyncObserver({
        account: { baseUrl: synapse.baseUrl, accessToken: room.observer.accessToken },
        roomId: room.roomId,
        eventType: CALL_MEMBER_EVENT_TYPE,
      });
      const matrixObserverEmpty = matrixObserver.whenEmpty(member.stateKey);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const killTs = await member.kill();
      const left = await room.watcher.waitFor(
        (change) => change?.stateKey === member.stateKey && !change.live,
        { timeoutMs: PROOF_DELAY_MS + 10_000, label: "observer sees the membership empty" },
      );
      const killToEmptyMs = (left?.seenTs ?? Number.NaN) - killTs;
      const matrixEmptyTs = await Promise.race([
        matrixObserverEmpty,
        new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 10_000)),
      ]);
      await matrixObserver.stop();
      const killToEmptyMatrixSyncMs = matrixEmptyTs - killTs;
      recordMeasurement("crash", {
        delayMs: PROOF_DELAY_MS,
        joinedLineToVisibleMs: (joined?.seenTs ?? member.joinedTs) - member.joinedTs,
        killToEmptyMs,
        killToEmptyMatrixSyncMs,
        heartbeatsBeforeKill: member.lines.filter(
          (line) => line.type === "event" && line.name === "delayed-leave-restarted",
        ).length,
      });
      expect(killToEmptyMs).toBeLessThanOrEqual(PROOF_DELAY_MS + 2_000);
      expect(killToEmptyMatrixSyncMs, "@mxrtc/matrix sync() sees it too").toBeLessThanOrEqual(
        PROOF_DELAY_MS + 2_000,
      );
    } finally {
      await member.kill();
    }
  });
});
