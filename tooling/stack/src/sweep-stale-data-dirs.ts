import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { processExists } from "./process-group.js";

/** Prefix of the temporary data dirs {@link startSynapse} creates in the OS temp folder. */
export const TEMP_DATA_DIR_PREFIX = "mxrtc-synapse-";

/** Name of the file recording which Node process owns a temporary data dir. */
export const OWNER_FILE = "mxrtc-owner.pid";

async function pidIn(path: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Deletes temporary Synapse data dirs left behind by test processes that were killed before
 * their teardown ran (their Synapse died with them; the folder stayed).
 *
 * @remarks Only folders whose owner pid and Synapse pid are both gone are removed; folders
 * without an owner file (being created right now) are left alone.
 */
export async function sweepStaleDataDirs(tempDir: string): Promise<number> {
  const names = await readdir(tempDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(TEMP_DATA_DIR_PREFIX)) continue;
    const dir = join(tempDir, name);
    const owner = await pidIn(join(dir, OWNER_FILE));
    if (owner === undefined || processExists(owner)) continue;
    const server = await pidIn(join(dir, "homeserver.pid"));
    if (server !== undefined && processExists(server)) continue;
    await rm(dir, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}
