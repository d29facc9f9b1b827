import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

/** A headless call member: `mxrtc join` running as its own process, as a user's client would. */
export interface MemberProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
  /** Resolves when the member prints a line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
}

/**
 * Start `mxrtc join` for one user, printing its output prefixed with the user's name.
 *
 * @example
 * ```ts
 * const bob = startMember({ name: "bob", root, homeserver, token, roomId, print });
 * await bob.waitForLine(/^.* joined /, 30_000);
 * ```
 */
export function startMember(options: {
  name: string;
  root: string;
  homeserver: string;
  accessToken: string;
  roomId: string;
  print: (line: string) => void;
}): MemberProcess {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--conditions=@mxrtc/source",
      "apps/cli/src/main.ts",
      "join",
      "--homeserver",
      options.homeserver,
      "--token",
      options.accessToken,
      "--room",
      options.roomId,
    ],
    { cwd: options.root, stdio: ["ignore", "pipe", "pipe"] },
  );
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on("line", (line) => {
      options.print(`  [${options.name}'s client] ${line.replace(/^\S+Z /, "")}`);
      for (const listener of listeners) listener(line);
    });
  }
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return {
    name: options.name,
    child,
    exited,
    waitForLine(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(
            new Error(
              `${options.name}'s client printed nothing like ${pattern} in ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        const listener = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
        exited.then(() => {
          if (!listeners.has(listener)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          reject(new Error(`${options.name}'s client exited before printing ${pattern}`));
        });
      });
    },
  };
}
