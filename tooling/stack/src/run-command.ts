import { spawn } from "node:child_process";

/** Result of {@link runCommand}: exit code and the last lines of combined output. */
export interface CommandResult {
  readonly exitCode: number;
  readonly outputTail: readonly string[];
}

/**
 * Runs a program to completion, feeding each output line to `onLine` and keeping the last 40.
 *
 * @remarks Never throws for a non-zero exit; a spawn failure (missing program) is exit code 127.
 *
 * @example
 * ```ts
 * const { exitCode } = await runCommand("python3", ["--version"], { onLine: console.log });
 * ```
 */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { onLine?: (line: string) => void; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const tail: string[] = [];
    const pushLine = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.onLine?.(line);
    };
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    for (const stream of [child.stdout, child.stderr]) {
      let pending = "";
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        pending += chunk;
        const lines = pending.split(/\r?\n/);
        pending = lines.pop() ?? "";
        for (const line of lines) if (line.trim() !== "") pushLine(line);
      });
      stream.on("end", () => {
        if (pending.trim() !== "") pushLine(pending);
      });
    }
    child.on("error", (error) => {
      pushLine(`${command}: ${error.message}`);
      resolve({ exitCode: 127, outputTail: tail });
    });
    child.on("close", (code, signal) => {
      resolve({ exitCode: code ?? (signal === null ? 1 : 128), outputTail: tail });
    });
  });
}
