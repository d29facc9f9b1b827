import { randomBytes } from "node:crypto";
import { access, copyFile, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withFileLock } from "./file-lock.js";
import { freeLoopbackPort } from "./free-port.js";
import { SYNAPSE_VERSION } from "./install-synapse.js";
import { stopProcessGroup } from "./process-group.js";
import { runCommand } from "./run-command.js";
import { StackError } from "./stack-error.js";
import { buildSynapseConfig, buildSynapseLogConfig } from "./synapse-config.js";
import { spawnSynapse, synapseLogTail, waitForHealthy } from "./synapse-process.js";

/** Files copied from the template into each new data dir. */
export const TEMPLATE_FILES = ["signing.key", "homeserver.db"] as const;

/**
 * Writes `config.json` and `log.config` into `dataDir` and returns the config path.
 */
export async function writeSynapseConfigFiles(
  dataDir: string,
  config: Record<string, unknown>,
): Promise<string> {
  await mkdir(join(dataDir, "media_store"), { recursive: true });
  const configPath = join(dataDir, "config.json");
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  await writeFile(
    join(dataDir, "log.config"),
    `${JSON.stringify(buildSynapseLogConfig(dataDir), null, 2)}\n`,
  );
  return configPath;
}

/**
 * Returns a cached data-dir template (signing key + a schema-initialised sqlite db), creating
 * it once: `--generate-keys`, one start until healthy, clean stop. Copying it makes each test
 * server skip key generation and the schema setup.
 */
export async function ensureSynapseTemplate(input: {
  python: string;
  cacheDir: string;
  log: (line: string) => void;
}): Promise<string> {
  const templateDir = join(input.cacheDir, `synapse-template-${SYNAPSE_VERSION}`);
  const ready = () =>
    access(join(templateDir, "homeserver.db")).then(
      () => true,
      () => false,
    );
  if (await ready()) return templateDir;
  await mkdir(input.cacheDir, { recursive: true });
  return withFileLock(join(input.cacheDir, "synapse-template.lock"), async () => {
    if (await ready()) return templateDir;
    const started = Date.now();
    input.log("preparing the Synapse data-dir template (keys + database schema), once");
    const workDir = join(input.cacheDir, `synapse-template-work-${process.pid}`);
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    const port = await freeLoopbackPort();
    const secret = randomBytes(24).toString("hex");
    const configPath = await writeSynapseConfigFiles(
      workDir,
      buildSynapseConfig({
        port,
        dataDir: workDir,
        serverName: "localhost",
        registrationSharedSecret: secret,
        macaroonSecretKey: secret,
        profile: "default",
      }),
    );
    const keys = await runCommand(input.python, [
      "-m",
      "synapse.app.homeserver",
      "-c",
      configPath,
      "--generate-keys",
    ]);
    if (keys.exitCode !== 0) {
      throw new StackError(
        "start-failed",
        `synapse --generate-keys failed (exit ${keys.exitCode}):\n${keys.outputTail.join("\n")}`,
      );
    }
    const synapse = spawnSynapse({
      python: input.python,
      configPaths: [configPath],
      dataDir: workDir,
      background: false,
    });
    try {
      await waitForHealthy(`http://127.0.0.1:${port}`, synapse, workDir);
    } catch (error) {
      await stopProcessGroup(synapse.pid, { exited: synapse.exited, signal: "SIGKILL" });
      throw error;
    }
    const outcome = await stopProcessGroup(synapse.pid, { exited: synapse.exited });
    if (outcome !== "terminated") {
      throw new StackError(
        "start-failed",
        `template Synapse did not stop on SIGTERM\n${await synapseLogTail(workDir)}`,
      );
    }
    // Fold the sqlite write-ahead log into the db file so copying one file is enough.
    const checkpoint = await runCommand(input.python, [
      "-c",
      "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.execute('PRAGMA journal_mode = DELETE'); c.close()",
      join(workDir, "homeserver.db"),
    ]);
    if (checkpoint.exitCode !== 0) {
      throw new StackError(
        "start-failed",
        `sqlite checkpoint failed:\n${checkpoint.outputTail.join("\n")}`,
      );
    }
    const staging = `${templateDir}.staging-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    for (const name of TEMPLATE_FILES) await copyFile(join(workDir, name), join(staging, name));
    await rm(templateDir, { recursive: true, force: true });
    await rename(staging, templateDir);
    await rm(workDir, { recursive: true, force: true });
    input.log(`template ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return templateDir;
  });
}
