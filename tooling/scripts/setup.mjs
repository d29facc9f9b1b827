#!/usr/bin/env node
// Sets up a checkout for the demo and the tests: the pinned pnpm, the workspace dependencies, and the
// real services the tests talk to (installed once into a cache outside the checkout). Safe to run
// again: each step is skipped or takes seconds when its result is already there.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const started = Date.now();
const quiet = process.argv.includes("--quiet");

function say(message) {
  if (!quiet)
    process.stderr.write(`[setup ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    ...options,
  });
  if (result.error) throw new Error(`${command} ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) {
    process.stderr.write(
      `[setup] failed: ${command} ${args.join(" ")} exited with ${result.status}\n`,
    );
    process.exit(result.status ?? 1);
  }
}

function pnpmVersion() {
  try {
    return execFileSync("pnpm", ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

const wanted = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split(
  "@",
)[1];
if (pnpmVersion() !== wanted) {
  say(`installing pnpm ${wanted} with npm`);
  run("npm", ["install", "--global", "--no-audit", "--no-fund", `pnpm@${wanted}`]);
}

say("installing workspace dependencies (pnpm install)");
run("pnpm", [
  "install",
  "--frozen-lockfile",
  "--prefer-offline",
  ...(quiet ? ["--reporter=silent"] : []),
]);

// `--only synapse` (the demo) installs just that part; the tests need every service.
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];
if (existsSync(join(root, "tooling/stack/src/cli.ts"))) {
  say(
    `installing the real services into the cache (pnpm stack install${only ? ` --only ${only}` : ""})`,
  );
  const cacheBase = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const cache = process.env.MXRTC_CACHE || join(cacheBase, "mxrtc");
  const needsLivekit = only === undefined || only.split(",").includes("livekit");
  if (needsLivekit && !existsSync(join(cache, "bin", "livekit-server.json"))) {
    // Even with --quiet: a silent first build of several minutes looks like a hang.
    process.stderr.write(
      `[setup] building livekit-server into ${cache} once (several minutes cold; later runs skip it)\n`,
    );
  }
  run("pnpm", ["--silent", "stack", "install", ...(only ? ["--only", only] : [])]);
}
say("ready");
