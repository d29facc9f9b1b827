import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mxrtcCacheDir } from "./cache-dir.js";
import { withFileLock } from "./file-lock.js";
import { runCommand } from "./run-command.js";
import { StackError } from "./stack-error.js";

/** The Synapse release the stack installs (first release with MSC4140 + MSC4354 + MSC4143 config). */
export const SYNAPSE_VERSION = "1.163.2";

/** Options of {@link installSynapse}. */
export interface InstallSynapseOptions {
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Cache folder (default {@link mxrtcCacheDir}). */
  readonly cacheDir?: string;
}

interface InstallMarker {
  readonly version: string;
  readonly installedAt: string;
  readonly seconds: number;
}

/** Path of the Python interpreter inside the stack's Synapse venv. */
export function synapsePython(cacheDir: string = mxrtcCacheDir()): string {
  return join(cacheDir, "synapse-venv", "bin", "python");
}

async function readMarker(venv: string): Promise<InstallMarker | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(venv, "mxrtc-installed.json"), "utf8"));
    if (typeof parsed === "object" && parsed !== null && "version" in parsed) {
      return parsed as InstallMarker;
    }
  } catch {
    // no marker: not installed
  }
  return undefined;
}

async function isInstalled(venv: string, python: string): Promise<boolean> {
  const marker = await readMarker(venv);
  if (marker?.version !== SYNAPSE_VERSION) return false;
  return access(python).then(
    () => true,
    () => false,
  );
}

/**
 * Installs Synapse into a Python venv in the cache folder, once.
 *
 * @remarks `python3 -m venv $MXRTC_CACHE/synapse-venv` then `pip install matrix-synapse==1.163.2`
 * (wheels from PyPI). A marker file records a finished install, so a repeat call returns in
 * milliseconds; a half-finished venv is deleted and rebuilt. Concurrent callers (several vitest
 * projects) wait on a lock. Progress and elapsed time go to `log`. Throws a {@link StackError}
 * (`install-failed`) with the tail of pip's output.
 *
 * @example
 * ```ts
 * const { python } = await installSynapse({ log: console.log });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export async function installSynapse(
  options: InstallSynapseOptions = {},
): Promise<{ python: string }> {
  const log = options.log ?? (() => {});
  const cacheDir = options.cacheDir ?? mxrtcCacheDir();
  const venv = join(cacheDir, "synapse-venv");
  const python = synapsePython(cacheDir);
  if (await isInstalled(venv, python)) {
    log(`synapse ${SYNAPSE_VERSION} already installed in ${venv}`);
    return { python };
  }
  await mkdir(cacheDir, { recursive: true });
  return withFileLock(
    join(cacheDir, "synapse-install.lock"),
    async () => {
      if (await isInstalled(venv, python)) return { python };
      const started = Date.now();
      const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
      let collected = 0;
      const ticker = setInterval(
        () => log(`  ... still installing (${elapsed()}, ${collected} packages collected)`),
        5_000,
      );
      ticker.unref();
      try {
        await rm(venv, { recursive: true, force: true });
        log(`creating venv ${venv}`);
        const venvResult = await runCommand("python3", ["-m", "venv", venv]);
        if (venvResult.exitCode !== 0) {
          throw new StackError(
            "install-failed",
            `python3 -m venv failed (exit ${venvResult.exitCode}); on Debian install python3-venv:\n${venvResult.outputTail.join("\n")}`,
          );
        }
        log(`pip install matrix-synapse==${SYNAPSE_VERSION} (${elapsed()})`);
        const pipResult = await runCommand(
          python,
          [
            "-m",
            "pip",
            "install",
            "--progress-bar",
            "off",
            "--disable-pip-version-check",
            `matrix-synapse==${SYNAPSE_VERSION}`,
          ],
          {
            onLine: (line) => {
              if (line.startsWith("Collecting")) collected += 1;
              if (/^(Installing|ERROR)/.test(line))
                log(`  pip: ${line.slice(0, 100)} (${elapsed()})`);
              if (line.startsWith("Successfully")) {
                log(`  pip: installed ${line.split(" ").length - 2} packages (${elapsed()})`);
              }
            },
          },
        );
        if (pipResult.exitCode !== 0) {
          throw new StackError(
            "install-failed",
            `pip install matrix-synapse==${SYNAPSE_VERSION} failed (exit ${pipResult.exitCode}):\n${pipResult.outputTail.join("\n")}`,
          );
        }
        const seconds = (Date.now() - started) / 1000;
        const marker: InstallMarker = {
          version: SYNAPSE_VERSION,
          installedAt: new Date().toISOString(),
          seconds,
        };
        await writeFile(join(venv, "mxrtc-installed.json"), `${JSON.stringify(marker)}\n`);
        log(`synapse ${SYNAPSE_VERSION} installed in ${elapsed()}`);
        return { python };
      } finally {
        clearInterval(ticker);
      }
    },
    { onWait: () => log("another process is installing synapse; waiting") },
  );
}
