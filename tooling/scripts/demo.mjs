#!/usr/bin/env node
// The demo: for now, the `mxrtc` CLI reads a bundled sample room (Element Call members, a matrix-js-sdk
// sticky member, a forged membership, an expired one, a past call) and shows what the room really says.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const sample = join(root, "apps/cli/samples/element-call-room.json");
const result = spawnSync(
  "pnpm",
  ["--silent", "mxrtc", "inspect", sample, ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
