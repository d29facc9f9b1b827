/**
 * Benchmark of the composed LiveKit call (`pnpm --filter @mxrtc/focus-livekit bench`): real
 * Synapse, LiveKit, `@mxrtc/livekit-auth` and Chromium on 127.0.0.1, through the proof harness.
 *
 * One member (alice) stays in the call. Each run, a new device of bob joins in its own Chromium
 * process; we time `session.join()` → first decoded frame of alice's camera (page clock). In the
 * first `MXRTC_BENCH_KILLS` runs bob's browser process is then SIGKILLed and we time the chain
 * kill → LiveKit's webhook reaches the service → the delegated leave is sent → alice's session
 * drops bob's membership; the other runs close bob's page (no leave either, but Chromium closes
 * its sockets) and time the same chain. Prints a markdown table.
 *
 * Environment: `MXRTC_BENCH_RUNS` (default 10), `MXRTC_BENCH_KILLS` (default 5).
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { startProofStack } from "../test/proof-stack.js";
import {
  createRecordingLogger,
  newDevice,
  openSessionParticipant,
  sessionConfig,
  sfuNoticedTs,
  waitFor,
} from "../test/session-harness.js";

const RUNS = Number(process.env.MXRTC_BENCH_RUNS ?? 10);
const KILLS = Math.min(RUNS, Number(process.env.MXRTC_BENCH_KILLS ?? 5));
/** Own delayed leave: far longer than a run, so only the delegated send can end a membership. */
const OWN_DELAY_MS = 120_000;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const quiet = () => undefined;

function summary(values: readonly number[]): { median: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? Number.NaN)
      : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

async function main(): Promise<void> {
  const serviceLog = createRecordingLogger();
  const stack = await startProofStack(quiet, {
    pageEntry: "session-page-entry.ts",
    launchBrowser: false,
    serviceLogger: serviceLog,
  });
  const joinToFrame: number[] = [];
  const killToNoticed: number[] = [];
  const noticedToSent: number[] = [];
  const noticedToGone: number[] = [];
  const killToGone: number[] = [];
  const closeToNoticed: number[] = [];
  const closeNoticedToGone: number[] = [];
  const alice = await openSessionParticipant(stack, log);
  try {
    const suffix = Date.now().toString(36);
    const owner = await registerUser(stack.synapse, { localpart: `alice-bench-${suffix}` });
    const guest = await registerUser(stack.synapse, { localpart: `bob-bench-${suffix}` });
    const roomId = await createCallRoom(stack.synapse, owner, { invite: [guest.userId] });
    await joinRoom(stack.synapse, guest, roomId);
    await alice.join(sessionConfig(stack, owner, roomId, OWN_DELAY_MS));
    for (let run = 0; run < RUNS; run += 1) {
      const device = await newDevice(stack, guest);
      const memberId = `${device.userId}:${device.deviceId}`;
      const bob = await openSessionParticipant(stack, log);
      try {
        await bob.join(sessionConfig(stack, device, roomId, OWN_DELAY_MS));
        await waitFor("bob's first decoded frame and alice listing bob", async () => {
          const [a, b] = await Promise.all([alice.status(), bob.status()]);
          return b.firstFrameTs !== undefined && a.remoteMembers.includes(memberId);
        });
        const joined = await bob.status();
        joinToFrame.push((joined.firstFrameTs ?? Number.NaN) - (joined.joinStartedTs ?? 0));
        const identity = joined.identity ?? "";
        // The service acts on a participant_left only once it has seen bob connected (its
        // GetParticipant poll: the join webhook came before the session delegated).
        await waitFor("the service to watch bob's delegated leave", async () => {
          const delayId = (await bob.status()).delayId;
          return (await stack.delegations.list()).some(
            (record) =>
              record.key.endsWith(`|${identity}`) &&
              record.delayId === delayId &&
              record.state === "connected",
          );
        });
        if (run < KILLS) {
          const killedTs = Date.now();
          bob.kill();
          await waitFor(
            "alice to drop bob's membership",
            async () => (await alice.status()).membershipGoneTs[memberId] !== undefined,
            90_000,
          );
          const goneTs = (await alice.status()).membershipGoneTs[memberId] ?? Number.NaN;
          const noticedTs = sfuNoticedTs(serviceLog.entries, identity, killedTs) ?? Number.NaN;
          const record = (await stack.delegations.list()).find((entry) =>
            entry.key.endsWith(`|${identity}`),
          );
          killToNoticed.push(noticedTs - killedTs);
          noticedToSent.push((record?.sentTs ?? Number.NaN) - noticedTs);
          noticedToGone.push(goneTs - noticedTs);
          killToGone.push(goneTs - killedTs);
          log(
            `run ${run + 1}: join→frame ${joinToFrame.at(-1)} ms; kill→SFU noticed ${killToNoticed.at(-1)} ms, noticed→sent ${noticedToSent.at(-1)} ms, noticed→gone ${noticedToGone.at(-1)} ms (${record?.outcome})`,
          );
        } else {
          // Closing the page (the browser stays) lets Chromium close the WebSocket and the peer
          // connection, so LiveKit sees the participant go at once.
          const closedTs = Date.now();
          await bob.page.close();
          await waitFor(
            "alice to drop bob's membership",
            async () => (await alice.status()).membershipGoneTs[memberId] !== undefined,
            90_000,
          );
          const goneTs = (await alice.status()).membershipGoneTs[memberId] ?? Number.NaN;
          const noticedTs = sfuNoticedTs(serviceLog.entries, identity, closedTs) ?? Number.NaN;
          closeToNoticed.push(noticedTs - closedTs);
          closeNoticedToGone.push(goneTs - noticedTs);
          log(
            `run ${run + 1}: join→frame ${joinToFrame.at(-1)} ms; page closed→SFU noticed ${closeToNoticed.at(-1)} ms, noticed→gone ${closeNoticedToGone.at(-1)} ms`,
          );
        }
      } finally {
        await bob.close();
      }
    }
  } finally {
    await alice.close();
    await stack.stop();
  }
  const row = (what: string, values: readonly number[], target = "") => {
    const { median, min, max } = summary(values);
    return `| ${what} | ${values.length} | ${Math.round(median)} | ${Math.round(min)} | ${Math.round(max)} | ${target} |`;
  };
  const lines = [
    "| measure (ms) | runs | median | min | max | target |",
    "| --- | ---: | ---: | ---: | ---: | --- |",
    row("`session.join()` → first decoded frame of the other member", joinToFrame),
    row(
      "SIGKILL of the browser → LiveKit webhook `participant_left` at the service",
      killToNoticed,
    ),
    row("SFU noticed (webhook) → delegated leave sent", noticedToSent),
    row(
      "SFU noticed (webhook) → membership gone in the other session",
      noticedToGone,
      `≤ 1000: ${noticedToGone.every((value) => value <= 1000) ? "met" : "missed"}`,
    ),
    row("SIGKILL → membership gone in the other session", killToGone),
    row("page closed (browser alive) → LiveKit webhook at the service", closeToNoticed),
    row(
      "page closed: SFU noticed (webhook) → membership gone in the other session",
      closeNoticedToGone,
      `≤ 1000: ${closeNoticedToGone.every((value) => value <= 1000) ? "met" : "missed"}`,
    ),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
