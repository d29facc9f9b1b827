/**
 * The token + delegation service part of `pnpm stack up --livekit` (see cli.ts): runs
 * apps/livekit-auth from source in the background, wired to the stack's Synapse and LiveKit.
 */
import { spawn } from "node:child_process";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StackLivekitState } from "./livekit-state.js";
import { processExists, stopProcessGroup } from "./process-group.js";
import { StackError } from "./stack-error.js";
import { stackStateDir } from "./stack-state.js";

const log = (line: string) => console.log(line);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** What `pnpm stack up --livekit` records about the background auth service. */
export interface StackLivekitAuthState {
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
  readonly startedAt: string;
}

const statePath = (cacheDir: string) => join(stackStateDir(cacheDir), "livekit-auth.json");

async function readState(cacheDir: string): Promise<StackLivekitAuthState | undefined> {
  try {
    const parsed = JSON.parse(await readFile(statePath(cacheDir), "utf8")) as StackLivekitAuthState;
    return typeof parsed.pid === "number" && typeof parsed.url === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
    .then((response) => response.ok)
    .catch(() => false);
}

/**
 * Start `mxrtc-livekit-auth` on `port` in the background: LiveKit's webhooks and Synapse's
 * `/rtc/transports` already point at it; OpenID tokens are checked against the stack's Synapse.
 *
 * @example
 * ```ts
 * await upLivekitAuth(cacheDir, { port: 8080, livekit, synapse: { baseUrl, serverName } });
 * ```
 */
export async function upLivekitAuth(
  cacheDir: string,
  input: {
    readonly port: number;
    readonly livekit: StackLivekitState;
    readonly synapse: { readonly baseUrl: string; readonly serverName: string };
  },
): Promise<void> {
  const existing = await readState(cacheDir);
  if (existing !== undefined && processExists(existing.pid) && (await healthy(existing.url))) {
    log(`livekit-auth already running at ${existing.url} (pid ${existing.pid})`);
    return;
  }
  const dir = join(stackStateDir(cacheDir), "livekit-auth");
  await mkdir(dir, { recursive: true });
  const logFile = join(dir, "service.log");
  const output = await open(logFile, "a");
  const url = `http://127.0.0.1:${input.port}`;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@mxrtc/source", "apps/livekit-auth/src/main.ts"],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ["ignore", output.fd, output.fd],
      env: {
        ...process.env,
        LIVEKIT_URL: input.livekit.url,
        LIVEKIT_KEY: input.livekit.apiKey,
        LIVEKIT_SECRET: input.livekit.apiSecret,
        LIVEKIT_FULL_ACCESS_HOMESERVERS: "*",
        LIVEKIT_JWT_BIND: `127.0.0.1:${input.port}`,
        LIVEKIT_CS_API_URL_OVERRIDES: `${input.synapse.serverName}=${input.synapse.baseUrl}`,
        LIVEKIT_DELEGATION_DB: join(dir, "delegations.sqlite"),
      },
    },
  );
  child.unref();
  await output.close();
  const pid = child.pid;
  if (pid === undefined) throw new StackError("start-failed", "livekit-auth did not start");
  const deadline = Date.now() + 30_000;
  while (!(await healthy(url))) {
    if (!processExists(pid) || Date.now() > deadline) {
      const tail = (await readFile(logFile, "utf8").catch(() => "")).split("\n").slice(-15);
      if (processExists(pid)) await stopProcessGroup(pid, { timeoutMs: 2_000 });
      throw new StackError(
        "start-failed",
        `livekit-auth did not answer /healthz:\n${tail.join("\n")}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const state: StackLivekitAuthState = { pid, url, logFile, startedAt: new Date().toISOString() };
  await writeFile(statePath(cacheDir), `${JSON.stringify(state, null, 2)}\n`);
  log(`livekit-auth started (pid ${pid}): ${url}  (log ${logFile})`);
  log(
    `  Synapse advertises it in /rtc/transports; LiveKit sends its webhooks to ${url}/sfu_webhook`,
  );
}

/** `pnpm stack down`: stops the recorded auth service, if any, and forgets it. */
export async function downLivekitAuth(cacheDir: string): Promise<void> {
  const state = await readState(cacheDir);
  if (state === undefined) return;
  if (processExists(state.pid)) {
    const outcome = await stopProcessGroup(state.pid, { timeoutMs: 5_000 });
    log(`livekit-auth (pid ${state.pid}) ${outcome}`);
  }
  await rm(statePath(cacheDir), { force: true });
}

/** `pnpm stack status`: true when no auth service is recorded or the recorded one answers. */
export async function livekitAuthStatus(cacheDir: string): Promise<boolean> {
  const state = await readState(cacheDir);
  if (state === undefined) return true;
  const ok = processExists(state.pid) && (await healthy(state.url));
  log(`livekit-auth: ${ok ? "healthy" : "NOT answering"} at ${state.url} (pid ${state.pid})`);
  return ok;
}
