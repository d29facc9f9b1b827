import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `task` while holding a cross-process lock (an atomically created directory).
 *
 * @remarks A lock whose owner process is gone is taken over. Waits up to `timeoutMs`
 * (default 15 minutes, a cold install on a slow machine) and reports waiting via `onWait` once.
 *
 * @example
 * ```ts
 * await withFileLock("/tmp/x.lock", async () => install());
 * ```
 */
export async function withFileLock<T>(
  lockPath: string,
  task: () => Promise<T>,
  options: { timeoutMs?: number; onWait?: () => void } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let reportedWait = false;
  for (;;) {
    try {
      await mkdir(lockPath);
      await writeFile(join(lockPath, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(
        await readFile(join(lockPath, "pid"), "utf8").catch(() => ""),
        10,
      );
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
        await rm(lockPath, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockPath}`);
      if (!reportedWait) {
        reportedWait = true;
        options.onWait?.();
      }
      await sleep(250);
    }
  }
  try {
    return await task();
  } finally {
    await rm(lockPath, { recursive: true, force: true });
  }
}
