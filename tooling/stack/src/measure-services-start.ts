/**
 * Measures start-to-ready and stop times of the LiveKit SFU, Redis and Chromium as tests get them.
 *
 * Run: `pnpm --filter @mxrtc/stack bench:services` (prints figures; asserts nothing). `RUNS=10`
 * for more samples.
 */
import { launchChromium } from "./chromium.js";
import { installLivekitServer } from "./install-livekit-server.js";
import { startLivekit } from "./start-livekit.js";
import { startRedis } from "./start-redis.js";

const runs = Number(process.env.RUNS ?? 5);

function summary(label: string, samples: readonly number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(
    `${label}: median ${median} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms (${samples.length} runs)`,
  );
}

async function measure(
  label: string,
  start: () => Promise<{ stop?: () => Promise<void>; close?: () => Promise<void> }>,
): Promise<void> {
  const starts: number[] = [];
  const stops: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = Date.now();
    const service = await start();
    starts.push(Date.now() - started);
    const stopping = Date.now();
    await (service.stop ?? service.close)?.call(service);
    stops.push(Date.now() - stopping);
  }
  summary(`${label} start to ready`, starts);
  summary(`${label} stop`, stops);
}

const installStarted = Date.now();
await installLivekitServer();
console.log(`installLivekitServer (already installed): ${Date.now() - installStarted} ms`);
await measure("startLivekit", () => startLivekit());
await measure("startRedis", () => startRedis());
await measure("launchChromium", () => launchChromium());
