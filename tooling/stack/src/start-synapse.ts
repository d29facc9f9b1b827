import { randomBytes } from "node:crypto";
import { access, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { mxrtcCacheDir } from "./cache-dir.js";
import { freeLoopbackPort } from "./free-port.js";
import { installSynapse } from "./install-synapse.js";
import { killGroupOnExit, stopProcessGroup } from "./process-group.js";
import { StackError } from "./stack-error.js";
import { OWNER_FILE, sweepStaleDataDirs, TEMP_DATA_DIR_PREFIX } from "./sweep-stale-data-dirs.js";
import { buildSynapseConfig, type SynapseProfile } from "./synapse-config.js";
import { type SynapseProcess, spawnSynapse, waitForHealthy } from "./synapse-process.js";
import {
  ensureSynapseTemplate,
  TEMPLATE_FILES,
  writeSynapseConfigFiles,
} from "./synapse-template.js";

/** What a test needs to talk to a running Synapse; plain data, safe to pass between processes. */
export interface SynapseInfo {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  /** The Matrix server name (`localhost`): user ids are `@name:localhost`. */
  serverName: string;
  /** Secret for `POST /_synapse/admin/v1/register` (see {@link registerUser}). */
  registrationSharedSecret: string;
  port: number;
}

/** A Synapse started by {@link startSynapse}. */
export interface SynapseHandle extends SynapseInfo {
  /** The server's data dir (config, sqlite db, logs). */
  readonly dataDir: string;
  /** Process id of the running server, undefined while stopped. */
  readonly pid: number | undefined;
  /** SIGTERM (SIGKILL after the stop timeout), then delete a temporary data dir. Idempotent. */
  stop(): Promise<void>;
  /** Graceful stop, wait `downMs` (default 0), start again on the same port and data. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** SIGKILL now, like a crash; data is kept so `restart()` brings it back. */
  kill(): Promise<void>;
}

/** Options of {@link startSynapse}. */
export interface StartSynapseOptions {
  /** Rate-limit profile (default `"default"`: generous limits everywhere). */
  readonly profile?: SynapseProfile;
  /** Loopback port (default: a free one). */
  readonly port?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** `matrix_rtc.transports` + `.well-known` rtc_foci (default none). */
  readonly transports?: readonly Record<string, unknown>[];
  /** Server name (default `"localhost"`). */
  readonly serverName?: string;
  /** Persistent data dir (default: a fresh temp dir that `stop()` deletes). */
  readonly dataDir?: string;
  /** Outlive this process, as `pnpm stack up` does (default false: dies with this process). */
  readonly background?: boolean;
  /** Cache folder (default {@link mxrtcCacheDir}). */
  readonly cacheDir?: string;
  /** How long to wait for `/health` (default 60 000 ms). */
  readonly startTimeoutMs?: number;
  /** SIGTERM grace before SIGKILL (default 10 000 ms). */
  readonly stopTimeoutMs?: number;
}

interface Secrets {
  readonly registrationSharedSecret: string;
  readonly macaroonSecretKey: string;
}

async function loadOrCreateSecrets(dataDir: string): Promise<Secrets> {
  const path = join(dataDir, "mxrtc-secrets.json");
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<Secrets>;
    if (
      typeof parsed.registrationSharedSecret === "string" &&
      typeof parsed.macaroonSecretKey === "string"
    ) {
      return {
        registrationSharedSecret: parsed.registrationSharedSecret,
        macaroonSecretKey: parsed.macaroonSecretKey,
      };
    }
  } catch {
    // first start in this data dir
  }
  const secrets: Secrets = {
    registrationSharedSecret: randomBytes(24).toString("hex"),
    macaroonSecretKey: randomBytes(24).toString("hex"),
  };
  await writeFile(path, `${JSON.stringify(secrets)}\n`, { mode: 0o600 });
  return secrets;
}

async function seedFromTemplate(dataDir: string, templateDir: string): Promise<void> {
  for (const name of TEMPLATE_FILES) {
    const target = join(dataDir, name);
    const present = await access(target).then(
      () => true,
      () => false,
    );
    if (!present) await copyFile(join(templateDir, name), target);
  }
}

/**
 * Installs (if needed) and starts a real Synapse on 127.0.0.1 and waits until `/health` answers.
 *
 * @remarks Each server gets its own data dir seeded from a cached template (signing key +
 * initialised sqlite), so a start takes about a second once installed. The process leads its
 * own process group; `stop()` ends the whole group, and the group is killed when this process
 * exits (exit hook + Linux parent-death signal). Throws a {@link StackError} with the tail of
 * Synapse's log when it cannot start — never skips.
 *
 * @example
 * ```ts
 * const synapse = await startSynapse();
 * const alice = await registerUser(synapse, { localpart: "alice" });
 * await synapse.stop();
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export async function startSynapse(options: StartSynapseOptions = {}): Promise<SynapseHandle> {
  const log = options.log ?? (() => {});
  const cacheDir = options.cacheDir ?? mxrtcCacheDir();
  const { python } = await installSynapse({ log, cacheDir });
  const templateDir = await ensureSynapseTemplate({ python, cacheDir, log });
  const ownsDataDir = options.dataDir === undefined;
  if (ownsDataDir) await sweepStaleDataDirs(tmpdir());
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), TEMP_DATA_DIR_PREFIX)));
  await mkdir(dataDir, { recursive: true });
  if (ownsDataDir) await writeFile(join(dataDir, OWNER_FILE), String(process.pid));
  await seedFromTemplate(dataDir, templateDir);
  const secrets = await loadOrCreateSecrets(dataDir);
  const port = options.port ?? (await freeLoopbackPort());
  const serverName = options.serverName ?? "localhost";
  const baseUrl = `http://127.0.0.1:${port}`;
  const configPath = await writeSynapseConfigFiles(
    dataDir,
    buildSynapseConfig({
      port,
      dataDir,
      serverName,
      registrationSharedSecret: secrets.registrationSharedSecret,
      macaroonSecretKey: secrets.macaroonSecretKey,
      profile: options.profile ?? "default",
      ...(options.transports === undefined ? {} : { transports: options.transports }),
    }),
  );
  const background = options.background ?? false;
  let current: SynapseProcess | undefined;
  let forget: () => void = () => {};
  let stopped = false;

  const launch = async () => {
    const started = Date.now();
    const synapse = spawnSynapse({ python, configPaths: [configPath], dataDir, background });
    current = synapse;
    if (!background) forget = killGroupOnExit(synapse.pid);
    try {
      await waitForHealthy(baseUrl, synapse, dataDir, options.startTimeoutMs);
    } catch (error) {
      await halt("SIGKILL");
      throw error;
    }
    log(`synapse healthy at ${baseUrl} after ${Date.now() - started} ms (pid ${synapse.pid})`);
  };
  const halt = async (signal: NodeJS.Signals) => {
    const synapse = current;
    if (synapse === undefined) return;
    await stopProcessGroup(synapse.pid, {
      exited: synapse.exited,
      signal,
      ...(options.stopTimeoutMs === undefined ? {} : { timeoutMs: options.stopTimeoutMs }),
    });
    forget();
    current = undefined;
  };

  try {
    await launch();
  } catch (error) {
    // The error already carries the log tail; do not leave temp dirs behind.
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    baseUrl,
    serverName,
    registrationSharedSecret: secrets.registrationSharedSecret,
    port,
    dataDir,
    get pid() {
      return current?.pid;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await halt("SIGTERM");
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
    async restart(restartOptions = {}) {
      if (stopped) throw new StackError("invalid-state", "restart() after stop()");
      await halt("SIGTERM");
      if ((restartOptions.downMs ?? 0) > 0) await sleep(restartOptions.downMs);
      await launch();
    },
    async kill() {
      await halt("SIGKILL");
    },
  };
}
