import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mxrtcCacheDir } from "./cache-dir.js";
import { processExists } from "./process-group.js";
import type { SynapseProfile } from "./synapse-config.js";

/** What `pnpm stack up` records about the background Synapse. */
export interface StackSynapseState {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly serverName: string;
  readonly registrationSharedSecret: string;
  readonly dataDir: string;
  readonly profile: SynapseProfile;
  readonly startedAt: string;
}

/**
 * Folder of `pnpm stack up` state and its persistent Synapse data: `$MXRTC_STACK_DIR`, else
 * `<cache>/stack` (the installs stay in the cache either way, so a test can run its own stack).
 */
export function stackStateDir(cacheDir: string = mxrtcCacheDir()): string {
  const override = process.env.MXRTC_STACK_DIR;
  return override !== undefined && override !== "" ? override : join(cacheDir, "stack");
}

function statePath(cacheDir: string): string {
  return join(stackStateDir(cacheDir), "synapse.json");
}

/** Reads the recorded background Synapse, if any. */
export async function readSynapseState(cacheDir: string): Promise<StackSynapseState | undefined> {
  try {
    const parsed = JSON.parse(await readFile(statePath(cacheDir), "utf8")) as StackSynapseState;
    return typeof parsed.pid === "number" && typeof parsed.baseUrl === "string"
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/** Records the background Synapse. */
export async function writeSynapseState(cacheDir: string, state: StackSynapseState): Promise<void> {
  await mkdir(stackStateDir(cacheDir), { recursive: true });
  await writeFile(statePath(cacheDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Forgets the background Synapse. */
export async function clearSynapseState(cacheDir: string): Promise<void> {
  await rm(statePath(cacheDir), { force: true });
}

/** True if `pid` is alive and is a Synapse (guards against a reused pid). */
export async function isSynapseProcess(pid: number): Promise<boolean> {
  if (!processExists(pid)) return false;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  // Without /proc (not Linux) trust the pid.
  return commandLine === undefined || commandLine.includes("synapse.app.homeserver");
}
