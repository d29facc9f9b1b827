/**
 * Homeserver restart proof: Synapse restarts mid-call, down for less than the delay. Nobody sees a
 * spurious leave, and the heartbeat resumes (a restart succeeds once Synapse is back, the scheduler
 * is joined again).
 */
import { type SynapseHandle, startSynapse } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALL_MEMBER_EVENT_TYPE, type CallMember, createCallMember } from "../src/call-member.js";
import { type CallRoom, setUpCallRoom } from "../src/call-room.js";
import { getStateEvents, isLiveMembershipContent } from "../src/raw-matrix.js";
import { recordMeasurement } from "../src/record-measurement.js";
import { waitUntil } from "../src/wait.js";

/** Long enough to cover a graceful Synapse stop + DOWN_MS + start on a loaded 2-core machine. */
const DELAY_MS = 20_000;
const DOWN_MS = 2_000;

let synapse: SynapseHandle;
let room: CallRoom;
let member: CallMember | undefined;

beforeAll(async () => {
  synapse = await startSynapse();
  room = await setUpCallRoom(synapse, { memberCount: 1 });
}, 120_000);

afterAll(async () => {
  await member?.close().catch(() => undefined);
  await room?.watcher.stop();
  await synapse?.stop();
});

describe("a homeserver restart shorter than the delay", () => {
  it("causes no spurious leave and the heartbeat resumes", async () => {
    const user = room.members[0];
    if (user === undefined) throw new Error("no member registered");
    member = createCallMember({
      baseUrl: synapse.baseUrl,
      accessToken: user.accessToken,
      userId: user.userId,
      deviceId: user.deviceId,
      roomId: room.roomId,
      delayMs: DELAY_MS,
    });
    const current = member;
    await current.join();
    const joined = await room.watcher.waitFor(
      () => room.watcher.isLive(current.stateKey) === true,
      { timeoutMs: 10_000, label: "observer sees the membership" },
    );
    await waitUntil(
      () => current.events.some((event) => event.name === "delayed-leave-restarted"),
      {
        timeoutMs: DELAY_MS,
        label: "a first heartbeat",
      },
    );

    const restartStartTs = Date.now();
    await synapse.restart({ downMs: DOWN_MS });
    const backTs = Date.now();
    const outageMs = backTs - restartStartTs;

    const resumedTs = await waitUntil(
      () =>
        current.events.some(
          (event) => event.name === "delayed-leave-restarted" && event.ts > backTs,
        ),
      { timeoutMs: DELAY_MS, label: "a heartbeat after Synapse is back" },
    );
    await waitUntil(() => current.scheduler.state === "joined", {
      timeoutMs: 10_000,
      label: "scheduler joined again",
    });
    // Outlast the delay counted from the last heartbeat before the restart: a leave that the
    // restart failed to prevent would have fired by now.
    const quietUntil = restartStartTs + DELAY_MS + 2_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, quietUntil - Date.now())));

    const observerAccount = { baseUrl: synapse.baseUrl, accessToken: room.observer.accessToken };
    const memberships = await getStateEvents(observerAccount, room.roomId, CALL_MEMBER_EVENT_TYPE);
    const membership = memberships.find((event) => event.state_key === current.stateKey);
    const observedAfterJoin = room.watcher.changes.filter(
      (change) => change.stateKey === current.stateKey && change.seenTs >= (joined?.seenTs ?? 0),
    );
    recordMeasurement("homeserver-restart", {
      delayMs: DELAY_MS,
      downMs: DOWN_MS,
      outageMs,
      backToHeartbeatMs: resumedTs - backTs,
      observerFailedSyncs: room.watcher.failedSyncs,
      schedulerEvents: current.events
        .filter((event) => event.name !== "delayed-leave-restarted")
        .map((event) => event.name),
    });

    expect(outageMs, "the restart was shorter than the delay (test precondition)").toBeLessThan(
      DELAY_MS,
    );
    expect(
      observedAfterJoin.filter((change) => !change.live),
      "spurious leaves seen",
    ).toEqual([]);
    expect(current.scheduler.state).toBe("joined");

    // The observer's sync survived the restart: it still sees the graceful leave.
    await current.leave();
    await room.watcher.waitFor((change) => change?.stateKey === current.stateKey && !change.live, {
      timeoutMs: 10_000,
      label: "observer sees the leave after the restart",
    });
    expect(membership !== undefined && isLiveMembershipContent(membership.content)).toBe(true);
  }, 150_000);
});
