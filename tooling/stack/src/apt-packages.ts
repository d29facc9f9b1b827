import { runCommand } from "./run-command.js";
import { StackError } from "./stack-error.js";

/** Debian packages the stack's services come from (the browser, Redis, Synapse's venv). */
export const STACK_APT_PACKAGES = {
  chromium: "chromium",
  redis: "redis-server",
  python: "python3-venv",
} as const;

/** How {@link ensureAptPackages} runs programs (injected for tests). */
export type AptRunner = (
  command: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
) => Promise<{ exitCode: number; outputTail: readonly string[] }>;

const defaultRunner: AptRunner = (command, args, env) =>
  runCommand(command, args, env === undefined ? {} : { env });

/**
 * The subset of `names` that dpkg does not report as installed.
 *
 * @example
 * ```ts
 * const missing = await missingAptPackages(["chromium", "redis-server"]);
 * ```
 */
export async function missingAptPackages(
  names: readonly string[],
  run: AptRunner = defaultRunner,
): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    // dpkg-query's own ${Status} field syntax, not a JavaScript template.
    const result = await run("dpkg-query", ["-W", `-f=${"$"}{Status}`, name]);
    const installed = result.exitCode === 0 && result.outputTail.join(" ").includes("ok installed");
    if (!installed) missing.push(name);
  }
  return missing;
}

/**
 * Installs the missing Debian packages among `names` in one `apt-get` step.
 *
 * @remarks Nothing runs when all are installed. Otherwise, as root: `apt-get update` once, then
 * `apt-get install -y --no-install-recommends <missing>` (non-interactive, waiting up to 10 min
 * for another apt's lock), printing each command and its time. Not root: throws a
 * {@link StackError} (`install-failed`) with the command to run. Returns what was installed.
 *
 * @example
 * ```ts
 * await ensureAptPackages(["chromium", "redis-server"], { log: console.log });
 * ```
 */
export async function ensureAptPackages(
  names: readonly string[],
  options: { log?: (line: string) => void; run?: AptRunner; isRoot?: boolean } = {},
): Promise<{ installed: readonly string[] }> {
  const log = options.log ?? (() => {});
  const run = options.run ?? defaultRunner;
  const missing = await missingAptPackages(names, run);
  if (missing.length === 0) {
    log(`apt packages present: ${names.join(", ")}`);
    return { installed: [] };
  }
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const installCommand = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!isRoot) {
    throw new StackError(
      "install-failed",
      `missing apt packages: ${missing.join(", ")}; as root run: apt-get update && ${installCommand}`,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const lock = ["-o", "DPkg::Lock::Timeout=600"];
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  log("apt-get update");
  const update = await run("apt-get", [...lock, "update", "-qq"], env);
  if (update.exitCode !== 0) {
    throw new StackError(
      "install-failed",
      `apt-get update failed (exit ${update.exitCode}):\n${update.outputTail.join("\n")}`,
    );
  }
  log(`${installCommand} (update took ${elapsed()})`);
  const install = await run(
    "apt-get",
    [...lock, "install", "-y", "-qq", "--no-install-recommends", ...missing],
    env,
  );
  if (install.exitCode !== 0) {
    throw new StackError(
      "install-failed",
      `${installCommand} failed (exit ${install.exitCode}):\n${install.outputTail.join("\n")}`,
    );
  }
  log(`apt packages installed in ${elapsed()}: ${missing.join(", ")}`);
  return { installed: missing };
}
