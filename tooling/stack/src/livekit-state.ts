import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { processExists } from "./process-group.js";
import { stackStateDir } from "./stack-state.js";
import type { LivekitInfo } from "./start-livekit.js";

/** What `pnpm stack up --livekit` records about the background LiveKit. */
export interface StackLivekitState extends LivekitInfo {
  readonly pid: number;
  readonly dataDir: string;
  readonly startedAt: string;
}

function statePath(cacheDir: string): string {
  return join(stackStateDir(cacheDir), "livekit.json");
}

/** Folder of the background LiveKit's config and log: `<cache>/stack/livekit`. */
export function stackLivekitDir(cacheDir: string): string {
  return join(stackStateDir(cacheDir), "livekit");
}

/**
 * Reads the recorded background LiveKit, if any.
 *
 * @example
 * ```ts
 * const state = await readLivekitState(mxrtcCacheDir());
 * ```
 */
export async function readLivekitState(cacheDir: string): Promise<StackLivekitState | undefined> {
  try {
    const parsed = JSON.parse(await readFile(statePath(cacheDir), "utf8")) as StackLivekitState;
    return typeof parsed.pid === "number" && typeof parsed.url === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Records the background LiveKit (mode 0600: it holds the API secret). */
export async function writeLivekitState(cacheDir: string, state: StackLivekitState): Promise<void> {
  await mkdir(stackStateDir(cacheDir), { recursive: true });
  await writeFile(statePath(cacheDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Forgets the background LiveKit. */
export async function clearLivekitState(cacheDir: string): Promise<void> {
  await rm(statePath(cacheDir), { force: true });
}

/** True if `pid` is alive and is a livekit-server (guards against a reused pid). */
export async function isLivekitProcess(pid: number): Promise<boolean> {
  if (!processExists(pid)) return false;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  return commandLine === undefined || commandLine.includes("livekit-server");
}
