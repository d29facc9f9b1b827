import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { MemberProcessConfig } from "./member-process.js";

/** A member process that has joined the call. */
export interface SpawnedMember {
  readonly pid: number;
  readonly stateKey: string;
  /** `Date.now()` (parent clock) when the joined line arrived. */
  readonly joinedTs: number;
  /** Every JSON line the child printed so far. */
  readonly lines: readonly Record<string, unknown>[];
  /** SIGKILLs the process; resolves with `Date.now()` taken just before the signal. */
  kill(): Promise<number>;
  readonly exited: Promise<void>;
}

const scriptPath = fileURLToPath(new URL("./member-process.ts", import.meta.url));

/**
 * Spawns `member-process.ts` with tsx's loader and the `@mxrtc/source` condition, and resolves once
 * it reports `joined`.
 *
 * @remarks The loader runs in the same node process (`node --import tsx`), not under the `tsx` CLI,
 * which would put a second process between us and the member and make SIGKILL miss it.
 */
export function spawnMemberProcess(
  config: MemberProcessConfig,
  options: { readonly joinTimeoutMs?: number } = {},
): Promise<SpawnedMember> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=@mxrtc/source", scriptPath, JSON.stringify(config)],
    { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: ["ignore", "pipe", "pipe"] },
  );
  const lines: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`member process did not join in time; stderr: ${stderr.join("")}`));
    }, options.joinTimeoutMs ?? 30_000);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(`member process exited (${code ?? signal}) before joining: ${stderr.join("")}`),
      );
    });
    if (child.stdout === null || child.pid === undefined) {
      reject(new Error("spawn failed"));
      return;
    }
    const pid = child.pid;
    createInterface({ input: child.stdout }).on("line", (line) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      lines.push(message);
      if (message.type === "failed") {
        clearTimeout(timer);
        reject(new Error(`member process failed: ${String(message.message)}`));
      }
      if (message.type === "joined") {
        clearTimeout(timer);
        resolve({
          pid,
          stateKey: String(message.stateKey),
          joinedTs: Date.now(),
          lines,
          exited,
          async kill() {
            const killTs = Date.now();
            child.kill("SIGKILL");
            await exited;
            return killTs;
          },
        });
      }
    });
  });
}
