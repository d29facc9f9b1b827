/**
 * Partition proof: the member reaches Synapse through a loopback TCP proxy the test controls.
 * Cutting it makes the server fire the delayed leave within delay + 2 s (seen by an observer
 * connected directly); restoring it makes the member notice and rejoin, and at no poll is its
 * membership live without a delayed leave scheduled for it.
 */
import { createTcpProxy, type TcpProxy } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CALL_MEMBER_EVENT_TYPE, type CallMember, createCallMember } from "../src/call-member.js";
import { type CallRoom, setUpCallRoom } from "../src/call-room.js";
import { createCountingFetch } from "../src/counting-fetch.js";
import { hasDelayedLeave, watchDelayedLeaveInvariant } from "../src/delayed-leave-invariant.js";
import { findUnarmedMembershipWrites } from "../src/membership-write-order.js";
import { PROOF_DELAY_MS } from "../src/proof-settings.js";
import { listDelayedEvents } from "../src/raw-matrix.js";
import { recordMeasurement } from "../src/record-measurement.js";

const synapse = inject("synapse");
let room: CallRoom;
let proxy: TcpProxy;
let member: CallMember | undefined;

beforeAll(async () => {
  room = await setUpCallRoom(synapse, { memberCount: 1 });
  proxy = await createTcpProxy({ targetPort: synapse.port });
});

afterAll(async () => {
  proxy?.restore();
  await member?.leave().catch(() => undefined);
  await member?.close().catch(() => undefined);
  await room?.watcher.stop();
  await proxy?.close();
});

describe("a member cut off by a network partition", () => {
  it("is removed within delay + 2 s and rejoins with a delayed leave always armed", async () => {
    const user = room.members[0];
    if (user === undefined) throw new Error("no member registered");
    const direct = { baseUrl: synapse.baseUrl, accessToken: user.accessToken };
    const counting = createCountingFetch();
    member = createCallMember({
      baseUrl: proxy.url,
      accessToken: user.accessToken,
      userId: user.userId,
      deviceId: user.deviceId,
      roomId: room.roomId,
      delayMs: PROOF_DELAY_MS,
      watchOwnMembership: true,
      fetch: counting.fetch,
    });
    const target = {
      roomId: room.roomId,
      eventType: CALL_MEMBER_EVENT_TYPE,
      stateKey: member.stateKey,
    };

    // Each time the observer sees the membership appear, ask the server at once whether a
    // delayed leave stands behind it.
    const appearances: { seenTs: number; armed: boolean }[] = [];
    const pendingChecks: Promise<void>[] = [];
    room.watcher.onChange((change) => {
      if (change.stateKey !== target.stateKey || !change.live) return;
      pendingChecks.push(
        listDelayedEvents(direct).then((listed) => {
          appearances.push({ seenTs: change.seenTs, armed: hasDelayedLeave(listed, target) });
        }),
      );
    });
    const stopPolling = new AbortController();
    const invariant = watchDelayedLeaveInvariant({
      owner: direct,
      reader: { baseUrl: synapse.baseUrl, accessToken: room.observer.accessToken },
      ...target,
      signal: stopPolling.signal,
    });

    await member.join();
    await room.watcher.waitFor(() => room.watcher.isLive(target.stateKey) === true, {
      timeoutMs: 10_000,
      label: "observer sees the membership",
    });
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const cutTs = Date.now();
    proxy.cut();
    const removed = await room.watcher.waitFor(
      (change) => change?.stateKey === target.stateKey && !change.live,
      { timeoutMs: PROOF_DELAY_MS + 10_000, label: "observer sees the leave fire" },
    );
    const cutToEmptyMs = (removed?.seenTs ?? Number.NaN) - cutTs;

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const restoreTs = Date.now();
    proxy.restore();
    const rejoined = await room.watcher.waitFor(
      (change) => change?.stateKey === target.stateKey && change.live,
      { timeoutMs: 40_000, label: "observer sees the member rejoin" },
    );
    const restoreToRejoinMs = (rejoined?.seenTs ?? Number.NaN) - restoreTs;

    // Keep watching through a few heartbeats after the rejoin.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    stopPolling.abort();
    const report = await invariant;
    await Promise.all(pendingChecks);
    const scheduledForKey = (await listDelayedEvents(direct)).filter((event) =>
      hasDelayedLeave([event], target),
    ).length;
    const unarmedWrites = findUnarmedMembershipWrites(
      counting.requests,
      `/${encodeURIComponent(member.stateKey)}`,
    );
    const membershipWrites = counting.requests.filter(
      (request) =>
        request.method === "PUT" &&
        request.path.includes("/state/") &&
        !request.query.includes("msc4140.delay"),
    ).length;
    await member.leave();
    const leftOver = await listDelayedEvents(direct);

    recordMeasurement("partition", {
      delayMs: PROOF_DELAY_MS,
      cutToEmptyMs,
      restoreToRejoinMs,
      polls: report.polls,
      livePolls: report.livePolls,
      failedPolls: report.failedPolls,
      violations: report.violations,
      leavesBeingSent: report.leavesBeingSent,
      appearances,
      ownSyncSawVanish: member.sawOwnMembershipVanish.length,
      delayedLeavesForKeyAfterRejoin: scheduledForKey,
      membershipWrites,
      unarmedMembershipWrites: unarmedWrites,
      delayedEventsAfterLeave: leftOver.length,
      schedulerEvents: member.events
        .filter(
          (event) => event.name !== "delayed-leave-restarted" && event.name !== "state-changed",
        )
        .map((event) => `${event.name} ${event.detail ?? ""}`),
    });

    expect(cutToEmptyMs).toBeLessThanOrEqual(PROOF_DELAY_MS + 2_000);
    expect(report.violations, "polls with a live membership and no delayed leave").toEqual([]);
    expect(unarmedWrites, "membership writes not preceded by a live delayed leave").toEqual([]);
    expect(
      membershipWrites,
      "the join and at least one rejoin wrote the membership",
    ).toBeGreaterThanOrEqual(2);
    expect(scheduledForKey, "exactly one delayed leave stands behind the rejoined membership").toBe(
      1,
    );
    expect(leftOver, "delayed events left after leaving").toEqual([]);
    expect(report.livePolls, "the invariant was checked while joined").toBeGreaterThan(10);
    expect(appearances.length, "observer saw the join and the rejoin").toBeGreaterThanOrEqual(2);
    expect(
      appearances.filter((appearance) => !appearance.armed),
      "membership appearances without a delayed leave",
    ).toEqual([]);
  }, 120_000);
});
