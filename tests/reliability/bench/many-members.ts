import { setTimeout as sleep } from "node:timers/promises";
import type { SynapseInfo } from "@mxrtc/stack";
import { type CallMember, createCallMember } from "../src/call-member.js";
import { setUpCallRoom } from "../src/call-room.js";
import { type CountingFetch, createCountingFetch } from "../src/counting-fetch.js";
import { CALL_MEMBER_EVENT_TYPE } from "../src/legacy-call-membership.js";
import { getStateEvents, isLiveMembershipContent } from "../src/raw-matrix.js";
import { ownCpuMs, processCpuMs } from "./process-cpu.js";

/** Result of {@link measureManyMembers}. */
export interface ManyMembersResult {
  readonly members: number;
  readonly minutes: number;
  readonly joinAllMs: number;
  readonly spuriousLeaves: number;
  readonly ghosts: number;
  /** Memberships the observer's /sync still shows live at the ghost check (should be 0). */
  readonly observerStillLive: number;
  /** Already-seen membership events Synapse sent again in incremental syncs' `state` blocks. */
  readonly redeliveredStateEvents: number;
  /** Time from the end of the call (half leave, half killed) until the observer saw no one. */
  readonly allGoneMs: number;
  readonly requestsPerMemberPerMinute: number;
  /** Scheduler `error` events during the steady state. */
  readonly schedulerErrors: number;
  /** `probably-left` (true) events during the steady state. */
  readonly probablyLeftEvents: number;
  /** CPU used by this process (all members + observer) during the steady state, in % of one core. */
  readonly membersCpuPercent: number;
  /** CPU used by Synapse's process during the steady state, % of one core (undefined: unreadable). */
  readonly synapseCpuPercent: number | undefined;
}

interface SimulatedMember {
  readonly member: CallMember;
  readonly counting: CountingFetch;
  alive: boolean;
}

/**
 * `members` users, each its own leave scheduler in this process, heartbeat against one Synapse for
 * `minutes`; the observer counts spurious leaves. Then half leave and half are killed (their
 * network severed) and the room state is checked for ghosts after delay + 2 s.
 */
export async function measureManyMembers(
  synapse: SynapseInfo & { readonly pid?: number | undefined },
  options: {
    readonly members: number;
    readonly minutes: number;
    readonly log: (line: string) => void;
  },
): Promise<ManyMembersResult> {
  const room = await setUpCallRoom(synapse, { memberCount: options.members, concurrency: 8 });
  options.log(`registered ${options.members} members`);
  const simulated: SimulatedMember[] = room.members.map((user) => {
    const counting = createCountingFetch();
    return {
      counting,
      alive: false,
      member: createCallMember({
        baseUrl: synapse.baseUrl,
        accessToken: user.accessToken,
        userId: user.userId,
        deviceId: user.deviceId,
        roomId: room.roomId,
        fetch: counting.fetch,
      }),
    };
  });
  const byKey = new Map(simulated.map((entry) => [entry.member.stateKey, entry]));
  let spuriousLeaves = 0;
  room.watcher.onChange((change) => {
    const entry = byKey.get(change.stateKey);
    if (entry?.alive === true && !change.live) {
      spuriousLeaves += 1;
      options.log(`spurious leave of ${change.stateKey}`);
    }
  });
  try {
    const joinStartTs = Date.now();
    for (let start = 0; start < simulated.length; start += 10) {
      await Promise.all(
        simulated.slice(start, start + 10).map(async (entry) => {
          await entry.member.join();
          entry.alive = true;
        }),
      );
    }
    const joinAllMs = Date.now() - joinStartTs;
    options.log(
      `all ${options.members} joined in ${joinAllMs} ms; steady state for ${options.minutes} min`,
    );

    const steadyStartTs = Date.now();
    const ownStart = ownCpuMs();
    const synapseStart = synapse.pid === undefined ? undefined : processCpuMs(synapse.pid);
    await sleep(options.minutes * 60_000);
    const steadyMs = Date.now() - steadyStartTs;
    const ownUsed = ownCpuMs() - ownStart;
    const synapseEnd = synapse.pid === undefined ? undefined : processCpuMs(synapse.pid);
    const synapseUsed =
      synapseStart === undefined || synapseEnd === undefined
        ? undefined
        : synapseEnd - synapseStart;
    const steadyRequests = simulated.reduce(
      (sum, entry) =>
        sum +
        entry.counting.requests.filter(
          (r) => r.startTs >= steadyStartTs && r.startTs < steadyStartTs + steadyMs,
        ).length,
      0,
    );

    // End of the call: the first half leaves, the second half dies (network severed).
    const endTs = Date.now();
    const half = Math.floor(simulated.length / 2);
    for (const entry of simulated) entry.alive = false;
    for (const entry of simulated.slice(half)) entry.counting.sever();
    await Promise.all(
      simulated.slice(0, half).map((entry) => entry.member.leave().catch(() => undefined)),
    );
    const delayMs = simulated[0]?.member.scheduler.delayMs ?? 8_000;
    let allGoneMs = Number.NaN;
    await room.watcher
      .waitFor(() => room.watcher.liveKeys().length === 0, {
        timeoutMs: delayMs + 30_000,
        label: "observer sees nobody in the call",
      })
      .then(() => {
        allGoneMs = Date.now() - endTs;
      })
      .catch(() => undefined);
    await sleep(Math.max(0, endTs + delayMs + 2_000 - Date.now()));
    const state = await getStateEvents(
      { baseUrl: synapse.baseUrl, accessToken: room.observer.accessToken },
      room.roomId,
      CALL_MEMBER_EVENT_TYPE,
    );
    const ghosts = state.filter((event) => isLiveMembershipContent(event.content)).length;
    const observerStillLive = room.watcher.liveKeys();
    if (observerStillLive.length > 0) {
      options.log(
        `observer still sees ${observerStillLive.length} live: ${JSON.stringify(
          observerStillLive.map((key) => ({
            key,
            changes: room.watcher.changes
              .filter((change) => change.stateKey === key)
              .map(
                (change) =>
                  `${change.live ? "live" : "empty"}@${change.seenTs - endTs} ${change.section}${change.limited ? " limited" : ""} ${change.eventId} ${change.sender}`,
              ),
            state: state.find((event) => event.state_key === key)?.content,
          })),
        )}`,
      );
    }
    const events = simulated
      .flatMap((entry) => entry.member.events)
      .filter((event) => event.ts >= steadyStartTs && event.ts < steadyStartTs + steadyMs);
    return {
      members: options.members,
      minutes: steadyMs / 60_000,
      joinAllMs,
      spuriousLeaves,
      ghosts,
      observerStillLive: observerStillLive.length,
      redeliveredStateEvents: room.watcher.redeliveredStateEvents,
      allGoneMs,
      requestsPerMemberPerMinute: steadyRequests / options.members / (steadyMs / 60_000),
      schedulerErrors: events.filter((event) => event.name === "error").length,
      probablyLeftEvents: events.filter(
        (event) =>
          event.name === "probably-left" && event.detail?.includes('"probablyLeft":true') === true,
      ).length,
      membersCpuPercent: (ownUsed / steadyMs) * 100,
      synapseCpuPercent: synapseUsed === undefined ? undefined : (synapseUsed / steadyMs) * 100,
    };
  } finally {
    await Promise.all(simulated.map((entry) => entry.member.close().catch(() => undefined)));
    await room.watcher.stop();
  }
}
