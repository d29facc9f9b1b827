import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { accessSync, closeSync, constants, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { StackError } from "./stack-error.js";

/** A service process started by {@link spawnService}; it leads its own process group. */
export interface ServiceProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<unknown>;
  /** Exit code or signal once exited, otherwise undefined. */
  exitStatus(): number | string | undefined;
}

const SETPRIV = "/usr/bin/setpriv";

function hasSetpriv(): boolean {
  try {
    accessSync(SETPRIV, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Spawns a native service in its own process group with stdout and stderr appended to `logFile`.
 *
 * @remarks Unless `background` is set, the service is started through `setpriv --pdeathsig
 * SIGTERM` (util-linux, always on Debian), so Linux SIGTERMs it when this Node process dies,
 * even by SIGKILL; callers add {@link killGroupOnExit} for ordinary exits. Without setpriv the
 * exit hook alone applies.
 *
 * @example
 * ```ts
 * const service = spawnService({ command: "/usr/bin/redis-server", args: [config], cwd, logFile });
 * ```
 */
export function spawnService(input: {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly logFile: string;
  readonly background?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}): ServiceProcess {
  const output = openSync(input.logFile, "a");
  const tiedToParent = input.background !== true && hasSetpriv();
  const command = tiedToParent ? SETPRIV : input.command;
  const args = tiedToParent
    ? ["--pdeathsig", "SIGTERM", "--", input.command, ...input.args]
    : [...input.args];
  try {
    const child = spawn(command, args, {
      cwd: input.cwd,
      detached: true,
      stdio: ["ignore", output, output],
      env: input.env ?? process.env,
    });
    if (child.pid === undefined) {
      throw new StackError("start-failed", `could not spawn ${input.command}`);
    }
    let status: number | string | undefined;
    const exited = once(child, "exit")
      .catch(() => undefined)
      .then(() => {
        status = child.exitCode ?? child.signalCode ?? "unknown";
      });
    // A spawn error (ENOENT) is reported by "error" and then "exit"; keep it from being unhandled.
    child.on("error", () => {});
    if (input.background === true) child.unref();
    return { pid: child.pid, child, exited, exitStatus: () => status };
  } finally {
    closeSync(output);
  }
}

/** The last `lines` lines of a log file, or a note that it is empty, for error messages. */
export async function logTail(path: string, lines = 30): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  const tail = text.trimEnd().split("\n").slice(-lines).join("\n");
  return tail === "" ? `(${path} is empty)` : `--- ${path} (tail) ---\n${tail}`;
}
