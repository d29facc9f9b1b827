#!/usr/bin/env node
/**
 * The mxrtc demo. Default: the live demo on the local stack (a real Synapse, two headless call
 * members, one crashes). `--sample`: the `mxrtc inspect` view of a bundled room dump, no servers.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runLiveDemo } from "./live-demo.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

if (process.argv.includes("--sample")) {
  const sample = join(root, "apps/cli/samples/element-call-room.json");
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@mxrtc/source", "apps/cli/src/main.ts", "inspect", sample],
    { cwd: root, stdio: "inherit" },
  );
  process.exit(result.status ?? 1);
}

runLiveDemo({ root, print: (line) => process.stdout.write(`${line}\n`) }).then(
  () => {
    process.stdout.write(
      "\nNext: `npm run demo -- --sample` shows what `mxrtc inspect` reads from a room with Element Call\nmembers, a forged membership and past calls; `pnpm mxrtc --help` lists the CLI's commands.\n",
    );
  },
  (error: unknown) => {
    process.stderr.write(
      `demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
