/**
 * Measures Synapse start-to-healthy time, with the cached data-dir template (what tests get)
 * and without it (key generation + schema setup on every start), and the warm install check.
 *
 * Run: `pnpm --filter @mxrtc/stack bench` (prints figures; asserts nothing).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mxrtcCacheDir } from "./cache-dir.js";
import { freeLoopbackPort } from "./free-port.js";
import { installSynapse } from "./install-synapse.js";
import { stopProcessGroup } from "./process-group.js";
import { runCommand } from "./run-command.js";
import { startSynapse } from "./start-synapse.js";
import { buildSynapseConfig } from "./synapse-config.js";
import { spawnSynapse, waitForHealthy } from "./synapse-process.js";
import { writeSynapseConfigFiles } from "./synapse-template.js";

const runs = Number(process.env.RUNS ?? 5);

function summary(label: string, samples: readonly number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(
    `${label}: median ${median} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms (${samples.length} runs)`,
  );
}

async function startWithoutTemplate(python: string): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), "mxrtc-measure-"));
  try {
    const started = Date.now();
    const port = await freeLoopbackPort();
    const secret = randomBytes(16).toString("hex");
    const configPath = await writeSynapseConfigFiles(
      dataDir,
      buildSynapseConfig({
        port,
        dataDir,
        serverName: "localhost",
        registrationSharedSecret: secret,
        macaroonSecretKey: secret,
        profile: "default",
      }),
    );
    const keys = await runCommand(python, [
      "-m",
      "synapse.app.homeserver",
      "-c",
      configPath,
      "--generate-keys",
    ]);
    if (keys.exitCode !== 0) throw new Error(keys.outputTail.join("\n"));
    const synapse = spawnSynapse({ python, configPaths: [configPath], dataDir, background: false });
    await waitForHealthy(`http://127.0.0.1:${port}`, synapse, dataDir);
    const elapsed = Date.now() - started;
    await stopProcessGroup(synapse.pid, { exited: synapse.exited });
    return elapsed;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

const installStarted = Date.now();
const { python } = await installSynapse({ cacheDir: mxrtcCacheDir() });
console.log(`installSynapse (already installed): ${Date.now() - installStarted} ms`);

const withTemplate: number[] = [];
const stopTimes: number[] = [];
for (let run = 0; run < runs; run += 1) {
  const started = Date.now();
  const synapse = await startSynapse();
  withTemplate.push(Date.now() - started);
  const stopping = Date.now();
  await synapse.stop();
  stopTimes.push(Date.now() - stopping);
}
summary("startSynapse to healthy (template)", withTemplate);
summary("stop (SIGTERM to exit, data dir removed)", stopTimes);

const withoutTemplate: number[] = [];
for (let run = 0; run < runs; run += 1) withoutTemplate.push(await startWithoutTemplate(python));
summary("fresh data dir: --generate-keys + start to healthy", withoutTemplate);
