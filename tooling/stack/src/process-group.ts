import { setTimeout as sleep } from "node:timers/promises";

/** True while a process with this id exists (zombies included until reaped). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Sends `signal` to the process group led by `pid`; a group that is gone is ignored.
 *
 * @example
 * ```ts
 * signalGroup(child.pid, "SIGTERM");
 * ```
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // group already gone
  }
}

/**
 * Stops a process group: SIGTERM, then SIGKILL after `timeoutMs` (default 10 s).
 *
 * @remarks `pid` must lead its own group (spawned `detached`). `exited` resolves when the
 * leader has exited; without it the leader is polled with signal 0. After the leader is gone
 * the group gets a final SIGKILL so no helper process survives.
 *
 * @example
 * ```ts
 * await stopProcessGroup(child.pid, { exited: once(child, "exit") });
 * ```
 */
export async function stopProcessGroup(
  pid: number,
  options: { timeoutMs?: number; exited?: Promise<unknown>; signal?: NodeJS.Signals } = {},
): Promise<"terminated" | "killed"> {
  const exited =
    options.exited ??
    (async () => {
      while (processExists(pid)) await sleep(50);
    })();
  signalGroup(pid, options.signal ?? "SIGTERM");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timer = sleep(timeoutMs, "timeout" as const, { ref: false });
  const outcome = await Promise.race([exited.then(() => "exited" as const), timer]);
  signalGroup(pid, "SIGKILL");
  if (outcome === "timeout") {
    await exited;
    return "killed";
  }
  return options.signal === "SIGKILL" ? "killed" : "terminated";
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Remembers a process group to SIGKILL when this Node process exits, so tests never leave
 * orphans even when teardown does not run.
 *
 * @example
 * ```ts
 * const forget = killGroupOnExit(child.pid);
 * // later, after a clean stop:
 * forget();
 * ```
 */
export function killGroupOnExit(pid: number): () => void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const group of liveGroups) signalGroup(group, "SIGKILL");
    });
  }
  return () => {
    liveGroups.delete(pid);
  };
}
