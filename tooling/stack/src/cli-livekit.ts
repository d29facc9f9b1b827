/**
 * The LiveKit parts of `pnpm stack up|down|status` (see cli.ts).
 */
import { join } from "node:path";
import {
  clearLivekitState,
  isLivekitProcess,
  readLivekitState,
  type StackLivekitState,
  stackLivekitDir,
  writeLivekitState,
} from "./livekit-state.js";
import { stopProcessGroup } from "./process-group.js";
import { StackError } from "./stack-error.js";
import { stackStateDir } from "./stack-state.js";
import { startLivekit } from "./start-livekit.js";

const log = (line: string) => console.log(line);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** `pnpm stack up --livekit`: a background LiveKit, recorded in `<cache>/stack/livekit.json`. */
export async function upLivekit(
  cacheDir: string,
  values: Record<string, unknown>,
  webhookUrls: readonly string[] = [],
): Promise<StackLivekitState> {
  const existing = await readLivekitState(cacheDir);
  if (existing !== undefined && (await isLivekitProcess(existing.pid))) {
    log(`livekit already running at ${existing.url} (pid ${existing.pid})`);
    return existing;
  }
  const port = parsePort(values["livekit-port"], "--livekit-port");
  const started = Date.now();
  const dataDir = stackLivekitDir(cacheDir);
  const livekit = await startLivekit({
    cacheDir,
    dataDir,
    background: true,
    log,
    webhookUrls: [...webhookUrls],
    ...(port === undefined ? {} : { port }),
  });
  const state: StackLivekitState = {
    url: livekit.url,
    httpUrl: livekit.httpUrl,
    apiKey: livekit.apiKey,
    apiSecret: livekit.apiSecret,
    port: livekit.port,
    udpPort: livekit.udpPort,
    pid: livekit.pid,
    dataDir,
    startedAt: new Date().toISOString(),
  };
  await writeLivekitState(cacheDir, state);
  log(`livekit started in ${seconds(started)} (pid ${livekit.pid}): ${livekit.url}`);
  log(`  api ${livekit.httpUrl}, key ${livekit.apiKey}, secret ${livekit.apiSecret}`);
  log(`  config + log: ${dataDir}; state: ${join(stackStateDir(cacheDir), "livekit.json")}`);
  return state;
}

/** A `--flag` port value: undefined when absent, else an integer in 1..65535. */
export function parsePort(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new StackError("invalid-argument", `invalid ${flag} ${String(value)}`);
  }
  return port;
}

/** `pnpm stack down`: stops the recorded LiveKit, if any, and forgets it. */
export async function downLivekit(cacheDir: string): Promise<void> {
  const state = await readLivekitState(cacheDir);
  if (state === undefined) return;
  if (await isLivekitProcess(state.pid)) {
    const outcome = await stopProcessGroup(state.pid, { timeoutMs: 5_000 });
    log(`livekit (pid ${state.pid}) ${outcome}`);
  } else {
    log(`livekit (pid ${state.pid}) was not running any more`);
  }
  await clearLivekitState(cacheDir);
}

/** `pnpm stack status`: true when no LiveKit is recorded or the recorded one answers. */
export async function livekitStatus(cacheDir: string): Promise<boolean> {
  const state = await readLivekitState(cacheDir);
  if (state === undefined) return true; // not asked for: not unhealthy
  if (!(await isLivekitProcess(state.pid))) {
    log(`livekit: recorded pid ${state.pid} is gone (stale state; pnpm stack down clears it)`);
    return false;
  }
  const healthy = await fetch(`${state.httpUrl}/`, { signal: AbortSignal.timeout(2000) })
    .then((response) => response.ok)
    .catch(() => false);
  log(
    `livekit: ${healthy ? "healthy" : "NOT answering"} at ${state.url} (pid ${state.pid}, api key ${state.apiKey}, since ${state.startedAt})`,
  );
  return healthy;
}
