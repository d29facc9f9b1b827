/** Runs `tsx --conditions=@mxrtc/source apps/cli/src/main.ts …` as a child process. */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../..");

export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout has a line matching `pattern`; rejects on exit or after `timeoutMs`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /**
   * SIGTERM/SIGINT go to tsx, which relays them to the CLI; SIGKILL goes to the whole process
   * group, like a crash of the CLI.
   */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | NodeJS.Signals>;
}

export function startCli(args: readonly string[]): CliProcess {
  const child = spawn(
    join(repoRoot, "node_modules/.bin/tsx"),
    ["--conditions=@mxrtc/source", "apps/cli/src/main.ts", ...args],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
      // Own process group: tsx runs the CLI in a child node process, and a SIGKILL cannot be
      // relayed, so a crash is simulated by killing the whole group (see `kill`).
      detached: true,
    },
  );
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const listener of [...listeners]) listener();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.on("exit", (code, signal) => {
      resolve(code ?? signal ?? -1);
      for (const listener of [...listeners]) listener();
    });
  });
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (signal === "SIGKILL") process.kill(-child.pid, "SIGKILL");
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  return {
    child,
    kill,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = out.split("\n").find((candidate) => pattern.test(candidate));
          if (line !== undefined) {
            done();
            resolve(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`exited before ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `no line ${pattern} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`,
            ),
          );
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
