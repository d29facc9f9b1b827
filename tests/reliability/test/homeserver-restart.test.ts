/**
 * Homeserver restart proof: Synapse restarts mid-call, down for less than the delay. Nobody sees a
 * spurious leave, and the heartbeat resumes (a restart succeeds once Synapse is back, the scheduler
 * is joined again).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type SynapseHandle, startSynapse } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALL_MEMBER_EVENT_TYPE, type CallMember, createCallMember } from "../src/call-member.js";
import { type CallRoom, setUpCallRoom } from "../src/call-room.js";
import { createCountingFetch } from "../src/counting-fetch.js";
import { getStateEvents, isLiveMembershipContent } from "../src/raw-matrix.js";
import { recordMeasurement } from "../src/record-measurement.js";
import { waitUntil } from "../src/wait.js";

/** Long enough to cover a graceful Synapse stop + DOWN_MS + start on a loaded 2-core machine. */
const DELAY_MS = 20_000;
/** The usual heartbeat cadence, so at least one heartbeat falls into the outage. */
const RESTART_INTERVAL_MS = 6_000;
/** Synapse goes down this long after a heartbeat... */
const RESTART_AFTER_HEARTBEAT_MS = 3_000;
/** ...and stays down this long (plus its stop and start time), covering the next heartbeat. */
const DOWN_MS = 6_000;

let synapse: SynapseHandle;
let room: CallRoom;
const members: CallMember[] = [];

beforeAll(async () => {
  synapse = await startSynapse();
  room = await setUpCallRoom(synapse, { memberCount: 2 });
}, 120_000);

afterAll(async () => {
  await Promise.all(members.map((member) => member.close().catch(() => undefined)));
  await room?.watcher.stop();
  await synapse?.stop();
});

/** Takes Synapse down and brings it back; the first variant stops it gracefully, the second crashes it. */
const outages = [
  {
    how: "graceful stop",
    index: 0,
    outage: () => synapse.restart({ downMs: DOWN_MS }),
  },
  {
    how: "SIGKILL",
    index: 1,
    outage: async () => {
      await synapse.kill();
      await sleep(DOWN_MS);
      await synapse.restart();
    },
  },
];

describe("a homeserver restart shorter than the delay", () => {
  it.each(outages)(
    "($how) causes no spurious leave and the heartbeat resumes",
    async (variant) => {
      const user = room.members[variant.index];
      if (user === undefined) throw new Error("no member registered");
      const counting = createCountingFetch();
      const member = createCallMember({
        baseUrl: synapse.baseUrl,
        accessToken: user.accessToken,
        userId: user.userId,
        deviceId: user.deviceId,
        roomId: room.roomId,
        delayMs: DELAY_MS,
        restartIntervalMs: RESTART_INTERVAL_MS,
        fetch: counting.fetch,
      });
      members.push(member);
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

      await sleep(RESTART_AFTER_HEARTBEAT_MS);
      const restartStartTs = Date.now();
      await variant.outage();
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
      await sleep(Math.max(0, quietUntil - Date.now()));
      const failedDuringOutage = counting.requests.filter(
        (request) =>
          request.startTs >= restartStartTs &&
          request.startTs < backTs &&
          (request.failure !== undefined || (request.status ?? 0) >= 500),
      );

      const observerAccount = { baseUrl: synapse.baseUrl, accessToken: room.observer.accessToken };
      const memberships = await getStateEvents(
        observerAccount,
        room.roomId,
        CALL_MEMBER_EVENT_TYPE,
      );
      const membership = memberships.find((event) => event.state_key === current.stateKey);
      const observedAfterJoin = room.watcher.changes.filter(
        (change) => change.stateKey === current.stateKey && change.seenTs >= (joined?.seenTs ?? 0),
      );
      recordMeasurement(`homeserver-restart-${variant.index}`, {
        outage: variant.how,
        delayMs: DELAY_MS,
        downMs: DOWN_MS,
        outageMs,
        backToHeartbeatMs: resumedTs - backTs,
        memberRequestsFailedDuringOutage: failedDuringOutage.length,
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
      await room.watcher.waitFor(
        (change) => change?.stateKey === current.stateKey && !change.live,
        {
          timeoutMs: 10_000,
          label: "observer sees the leave after the restart",
        },
      );
      expect(membership !== undefined && isLiveMembershipContent(membership.content)).toBe(true);
    },
    150_000,
  );
});
