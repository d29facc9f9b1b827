#!/usr/bin/env node
import { runMain } from "./run-main.js";

const { exitCode, service } = await runMain(process.env, (line) =>
  process.stderr.write(`${line}\n`),
);
if (service === undefined) {
  process.exit(exitCode);
} else {
  const stop = () => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
