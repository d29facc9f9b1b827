import { setTimeout as sleep } from "node:timers/promises";
import type { SynapseInfo } from "@mxrtc/stack";
import { createCallMember } from "../src/call-member.js";
import { setUpCallRoom } from "../src/call-room.js";
import { createCountingFetch } from "../src/counting-fetch.js";

/** What one member costs the homeserver while in a call. */
export interface HeartbeatCost {
  readonly minutes: number;
  readonly requests: number;
  readonly requestsPerMinute: number;
  readonly byPath: Readonly<Record<string, number>>;
  readonly delayMs: number;
  /** Observed: kill of the heartbeat (network severed) → observer sees the leave. */
  readonly detectionMs: number;
}

function pathKind(path: string): string {
  if (path.includes("/delayed_events/")) return path.slice(path.lastIndexOf("/") + 1);
  if (path.includes("/state/")) return "state";
  return path;
}

/**
 * Counts every HTTP request one in-process member (scheduler defaults) makes while in the call
 * for `minutes`, then severs its network and times how long the observer takes to see it gone.
 */
export async function measureHeartbeatCost(
  synapse: SynapseInfo,
  options: { readonly minutes: number; readonly log: (line: string) => void },
): Promise<HeartbeatCost> {
  const room = await setUpCallRoom(synapse, { memberCount: 1 });
  const user = room.members[0];
  if (user === undefined) throw new Error("no member");
  const counting = createCountingFetch();
  const member = createCallMember({
    baseUrl: synapse.baseUrl,
    accessToken: user.accessToken,
    userId: user.userId,
    deviceId: user.deviceId,
    roomId: room.roomId,
    fetch: counting.fetch,
  });
  try {
    await member.join();
    const startTs = Date.now();
    await sleep(options.minutes * 60_000);
    const endTs = Date.now();
    const inCall = counting.requests.filter((r) => r.startTs >= startTs && r.startTs < endTs);
    const byPath: Record<string, number> = {};
    for (const request of inCall) {
      const kind = `${request.method} ${pathKind(request.path)}`;
      byPath[kind] = (byPath[kind] ?? 0) + 1;
    }
    const severTs = Date.now();
    counting.sever();
    const left = await room.watcher.waitFor(
      (change) => change?.stateKey === member.stateKey && !change.live,
      { timeoutMs: 60_000, label: "observer sees the leave" },
    );
    const cost: HeartbeatCost = {
      minutes: (endTs - startTs) / 60_000,
      requests: inCall.length,
      requestsPerMinute: inCall.length / ((endTs - startTs) / 60_000),
      byPath,
      delayMs: member.scheduler.delayMs,
      detectionMs: (left?.seenTs ?? Number.NaN) - severTs,
    };
    options.log(`heartbeat cost: ${JSON.stringify(cost)}`);
    return cost;
  } finally {
    await member.close().catch(() => undefined);
    await room.watcher.stop();
  }
}
