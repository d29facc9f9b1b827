import { setTimeout as sleep } from "node:timers/promises";
import type { SynapseInfo } from "@mxrtc/stack";
import { setUpCallRoom } from "../src/call-room.js";
import { spawnMemberProcess } from "../src/spawn-member-process.js";

/** One SIGKILL → leave-visible measurement. */
export interface CrashRun {
  readonly killToEmptyMs: number;
  /** Time from the member's last successful heartbeat to the observer seeing the leave. */
  readonly lastHeartbeatToEmptyMs: number | undefined;
  /** How long the member was in the call before the kill. */
  readonly inCallMs: number;
}

/**
 * Runs `runs` crash measurements one after another at the scheduler's default delay: a member
 * process joins, stays for a random 6–14 s (so the kill lands at a random heartbeat phase), is
 * SIGKILLed, and the observer's /sync times the leave.
 */
export async function measureCrashLatency(
  synapse: SynapseInfo,
  options: { readonly runs: number; readonly log: (line: string) => void },
): Promise<readonly CrashRun[]> {
  const room = await setUpCallRoom(synapse, { memberCount: options.runs });
  const results: CrashRun[] = [];
  try {
    for (const [index, user] of room.members.entries()) {
      const member = await spawnMemberProcess({
        baseUrl: synapse.baseUrl,
        accessToken: user.accessToken,
        userId: user.userId,
        deviceId: user.deviceId,
        roomId: room.roomId,
      });
      await room.watcher.waitFor(() => room.watcher.isLive(member.stateKey) === true, {
        timeoutMs: 15_000,
        label: "observer sees the member",
      });
      await sleep(6_000 + Math.random() * 8_000);
      const killTs = await member.kill();
      const left = await room.watcher.waitFor(
        (change) => change?.stateKey === member.stateKey && !change.live,
        { timeoutMs: 60_000, label: "observer sees the leave" },
      );
      const seenTs = left?.seenTs ?? Number.NaN;
      const heartbeats = member.lines.filter(
        (line) =>
          line.type === "event" &&
          (line.name === "delayed-leave-restarted" || line.name === "delayed-leave-scheduled"),
      );
      const lastHeartbeatTs = heartbeats.at(-1)?.ts;
      const run: CrashRun = {
        killToEmptyMs: seenTs - killTs,
        lastHeartbeatToEmptyMs:
          typeof lastHeartbeatTs === "number" ? seenTs - lastHeartbeatTs : undefined,
        inCallMs: killTs - member.joinedTs,
      };
      results.push(run);
      options.log(`crash run ${index + 1}/${options.runs}: ${JSON.stringify(run)}`);
    }
  } finally {
    await room.watcher.stop();
  }
  return results;
}
