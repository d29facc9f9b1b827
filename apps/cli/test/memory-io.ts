import { readFile } from "node:fs/promises";
import type { CliIo } from "../src/cli-io.js";

/** An in-memory terminal for `run(argv, io)`: collects stdout and stderr. */
export function memoryIo(overrides: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: (path) => readFile(path, "utf8"),
    ...overrides,
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}
