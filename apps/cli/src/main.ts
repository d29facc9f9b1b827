#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { run } from "./run.js";

// Ctrl-C / SIGTERM abort the running command (`join` leaves the call, then returns); a second
// signal exits at once (the delayed leave still removes the membership within its delay).
const interrupt = new AbortController();
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.on(name, () => {
    if (interrupt.signal.aborted) process.exit(130);
    interrupt.abort(new Error(`received ${name}`));
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
