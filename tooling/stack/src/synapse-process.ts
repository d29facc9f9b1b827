import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { StackError } from "./stack-error.js";

/**
 * Python launcher: optionally asks Linux to SIGTERM the server when its parent (this Node
 * process) dies (PR_SET_PDEATHSIG survives exec), then execs Synapse in the same process.
 */
const LAUNCHER = [
  "import ctypes, os, signal, sys",
  "parent, watch = int(sys.argv[1]), sys.argv[2] == '1'",
  "if watch:",
  "    ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)",
  "    if os.getppid() != parent: sys.exit(0)",
  "os.execv(sys.executable, [sys.executable, '-m', 'synapse.app.homeserver', *sys.argv[3:]])",
].join("\n");

/** A running Synapse process. */
export interface SynapseProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
}

/**
 * Spawns Synapse in its own process group with output appended to `console.log` in the data dir.
 *
 * @remarks `background: false` (tests) ties the server to this process: it gets SIGTERM when
 * this process dies. `background: true` (`pnpm stack up`) lets it outlive the CLI.
 */
export function spawnSynapse(input: {
  python: string;
  configPaths: readonly string[];
  dataDir: string;
  background: boolean;
  extraArgs?: readonly string[];
}): SynapseProcess {
  const consoleLog = openSync(join(input.dataDir, "console.log"), "a");
  const args = ["-c", LAUNCHER, String(process.pid), input.background ? "0" : "1"];
  for (const path of input.configPaths) args.push("-c", path);
  args.push(...(input.extraArgs ?? []));
  try {
    const child = spawn(input.python, args, {
      cwd: input.dataDir,
      detached: true,
      stdio: ["ignore", consoleLog, consoleLog],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    if (child.pid === undefined) {
      throw new StackError("start-failed", `could not spawn ${input.python}`);
    }
    const exited = once(child, "exit").catch(() => undefined);
    if (input.background) child.unref();
    return { pid: child.pid, child, exited };
  } finally {
    closeSync(consoleLog);
  }
}

/** The last `lines` lines of Synapse's log and console output, for error messages. */
export async function synapseLogTail(dataDir: string, lines = 30): Promise<string> {
  const parts: string[] = [];
  for (const name of ["homeserver.log", "console.log"]) {
    const text = await readFile(join(dataDir, name), "utf8").catch(() => "");
    const tail = text.trimEnd().split("\n").slice(-lines).join("\n");
    if (tail !== "") parts.push(`--- ${name} (tail) ---\n${tail}`);
  }
  return parts.length > 0 ? parts.join("\n") : "(no Synapse log output)";
}

/**
 * Polls `GET /health` until it answers 200, the process exits, or `timeoutMs` passes.
 * Throws a {@link StackError} (`start-failed`) carrying the log tail.
 */
export async function waitForHealthy(
  baseUrl: string,
  synapse: SynapseProcess,
  dataDir: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | string | undefined;
  void synapse.exited.then(() => {
    exitCode = synapse.child.exitCode ?? synapse.child.signalCode ?? "unknown";
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new StackError(
        "start-failed",
        `Synapse exited (code ${exitCode}) before becoming healthy at ${baseUrl}\n${await synapseLogTail(dataDir)}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new StackError(
    "start-failed",
    `Synapse did not answer ${baseUrl}/health within ${timeoutMs} ms\n${await synapseLogTail(dataDir)}`,
  );
}
