#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { run } from "./run.js";

// Ctrl-C / SIGTERM abort the running command (`join` leaves the call, then returns); another
// signal a second later exits at once (the delayed leave still removes the membership within its
// delay). A duplicate within that second (a terminal's Ctrl-C reaching both a wrapper such as
// tsx and this process, which the wrapper relays too) is ignored.
const interrupt = new AbortController();
let interruptedAt: number | undefined;
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.on(name, () => {
    if (interruptedAt === undefined) {
      interruptedAt = Date.now();
      interrupt.abort(new Error(`received ${name}`));
    } else if (Date.now() - interruptedAt > 1_000) process.exit(130);
  });
}
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, "utf8"),
  env: process.env,
  stdoutIsTty: process.stdout.isTTY === true,
  signal: interrupt.signal,
});
process.exitCode = code;
// Anything a library left open (keep-alive sockets, a timer) must not keep the process alive.
setTimeout(() => process.exit(code), 1_000).unref();
