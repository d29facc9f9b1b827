/**
 * `pnpm stack install|up|down|status|register`: the real services for the demo and CI.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ensureAptPackages, STACK_APT_PACKAGES } from "./apt-packages.js";
import { mxrtcCacheDir } from "./cache-dir.js";
import { downLivekit, livekitStatus, parsePort, upLivekit } from "./cli-livekit.js";
import { downLivekitAuth, livekitAuthStatus, upLivekitAuth } from "./cli-livekit-auth.js";
import { freeLoopbackPort } from "./free-port.js";
import { installLivekitServer, LIVEKIT_SERVER_VERSION } from "./install-livekit-server.js";
import { installSynapse, SYNAPSE_VERSION, synapsePython } from "./install-synapse.js";
import { stopProcessGroup } from "./process-group.js";
import { registerUser } from "./register-user.js";
import { StackError } from "./stack-error.js";
import {
  clearSynapseState,
  isSynapseProcess,
  readSynapseState,
  stackStateDir,
  writeSynapseState,
} from "./stack-state.js";
import { startSynapse } from "./start-synapse.js";
import type { SynapseProfile } from "./synapse-config.js";
import { ensureSynapseTemplate } from "./synapse-template.js";

const USAGE = `usage: pnpm stack <command>
  install [--only synapse,livekit,chromium,redis]
                               install Synapse ${SYNAPSE_VERSION} and livekit-server ${LIVEKIT_SERVER_VERSION} into the cache
                               (once), and the apt packages chromium + redis-server when missing (as root)
  up [--port N] [--profile default|tight-rate-limits] [--livekit-service-url URL]
     [--livekit [--livekit-port N] [--auth-port N]]
                               start Synapse in the background; with --livekit also a LiveKit SFU and
                               the token + delegation service (mxrtc-livekit-auth), wired together
                               (data kept in <cache>/stack)
  down [--wipe]                stop them (--wipe also deletes Synapse's data)
  status                       say what runs
  register <localpart> [--admin] [--device ID]
                               register a user on the running Synapse and print its access token
cache: ${mxrtcCacheDir()} (set MXRTC_CACHE to move it)`;

// A closed stdout (`pnpm stack up | head -1`) must not kill the CLI halfway through.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
const log = (line: string) => console.log(line);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

const INSTALL_PARTS = ["synapse", "livekit", "chromium", "redis"] as const;
type InstallPart = (typeof INSTALL_PARTS)[number];

function parseOnly(value: unknown): ReadonlySet<InstallPart> {
  if (typeof value !== "string") return new Set(INSTALL_PARTS);
  const parts = new Set<InstallPart>();
  for (const word of value.split(",").map((part) => part.trim())) {
    if (word === "") continue;
    const part = INSTALL_PARTS.find((known) => known === word);
    if (part === undefined) {
      throw new StackError(
        "invalid-argument",
        `unknown --only part ${word} (known: ${INSTALL_PARTS.join(", ")})`,
      );
    }
    parts.add(part);
  }
  return parts;
}

async function install(cacheDir: string, only: ReadonlySet<InstallPart>): Promise<void> {
  const started = Date.now();
  // apt first: one update + one install for everything missing (python3-venv for Synapse too).
  const apt: string[] = [];
  if (only.has("chromium")) apt.push(STACK_APT_PACKAGES.chromium);
  if (only.has("redis")) apt.push(STACK_APT_PACKAGES.redis);
  if (only.has("synapse") && !existsSync(synapsePython(cacheDir))) {
    apt.push(STACK_APT_PACKAGES.python);
  }
  if (apt.length > 0) await ensureAptPackages(apt, { log });
  if (only.has("synapse")) {
    const step = Date.now();
    const { python } = await installSynapse({ log, cacheDir });
    await ensureSynapseTemplate({ python, cacheDir, log });
    log(`synapse ${SYNAPSE_VERSION} ready (${seconds(step)}): ${python}`);
  }
  if (only.has("livekit")) {
    const step = Date.now();
    const { binary } = await installLivekitServer({ log, cacheDir });
    log(`livekit-server ${LIVEKIT_SERVER_VERSION} ready (${seconds(step)}): ${binary}`);
  }
  log(`stack install done (${[...only].join(", ")}) in ${seconds(started)}`);
}

async function up(cacheDir: string, values: Record<string, unknown>): Promise<void> {
  parsePort(values["livekit-port"], "--livekit-port"); // bad input fails before anything starts
  const authPort = parsePort(values["auth-port"], "--auth-port");
  if (values.livekit !== true) {
    await upSynapse(cacheDir, values);
    return;
  }
  // Synapse + LiveKit + the token/delegation service, wired together: Synapse advertises the
  // service in /rtc/transports, LiveKit sends it webhooks, it checks OpenID tokens with Synapse.
  const port = authPort ?? (await freeLoopbackPort());
  const serviceUrl = `http://127.0.0.1:${port}`;
  await upSynapse(cacheDir, { "livekit-service-url": serviceUrl, ...values });
  const synapse = await readSynapseState(cacheDir);
  if (synapse === undefined) throw new StackError("start-failed", "synapse state missing");
  const livekit = await upLivekit(cacheDir, values, [`${serviceUrl}/sfu_webhook`]);
  await upLivekitAuth(cacheDir, { port, livekit, synapse });
}

async function upSynapse(cacheDir: string, values: Record<string, unknown>): Promise<void> {
  const existing = await readSynapseState(cacheDir);
  if (existing !== undefined && (await isSynapseProcess(existing.pid))) {
    log(`synapse already running at ${existing.baseUrl} (pid ${existing.pid})`);
    return;
  }
  const profile = (values.profile ?? "default") as SynapseProfile;
  if (profile !== "default" && profile !== "tight-rate-limits") {
    throw new StackError("invalid-argument", `unknown profile ${String(profile)}`);
  }
  const port = parsePort(values.port, "--port");
  const livekit = values["livekit-service-url"];
  const started = Date.now();
  const { python } = await installSynapse({ log, cacheDir });
  await ensureSynapseTemplate({ python, cacheDir, log });
  const dataDir = join(stackStateDir(cacheDir), "synapse-data");
  const synapse = await startSynapse({
    log: () => {}, // quiet until the state is recorded; figures are printed below
    cacheDir,
    dataDir,
    background: true,
    profile,
    ...(port === undefined ? {} : { port }),
    ...(typeof livekit === "string"
      ? { transports: [{ type: "livekit", livekit_service_url: livekit }] }
      : {}),
  });
  try {
    if (synapse.pid === undefined) throw new StackError("start-failed", "synapse has no pid");
    await writeSynapseState(cacheDir, {
      pid: synapse.pid,
      port: synapse.port,
      baseUrl: synapse.baseUrl,
      serverName: synapse.serverName,
      registrationSharedSecret: synapse.registrationSharedSecret,
      dataDir,
      profile,
      startedAt: new Date().toISOString(),
    });
  } catch (error) {
    await synapse.stop();
    throw error;
  }
  log(`synapse started in ${seconds(started)} (pid ${synapse.pid})`);
  log(`baseUrl: ${synapse.baseUrl}  (server name ${synapse.serverName}, profile ${profile})`);
  log(`data + logs: ${dataDir}`);
  log("register a user: pnpm stack register alice");
  log(
    `  or: ${join(cacheDir, "synapse-venv", "bin", "register_new_matrix_user")} -c ${join(dataDir, "config.json")} ${synapse.baseUrl}`,
  );
  log("stop: pnpm stack down");
}

async function down(cacheDir: string, wipe: boolean): Promise<void> {
  await downLivekitAuth(cacheDir);
  await downLivekit(cacheDir);
  const state = await readSynapseState(cacheDir);
  if (state === undefined) {
    log("synapse is not running");
  } else if (await isSynapseProcess(state.pid)) {
    const outcome = await stopProcessGroup(state.pid);
    log(`synapse (pid ${state.pid}) ${outcome}`);
  } else {
    log(`synapse (pid ${state.pid}) was not running any more`);
  }
  await clearSynapseState(cacheDir);
  if (wipe) {
    const { rm } = await import("node:fs/promises");
    await rm(join(stackStateDir(cacheDir), "synapse-data"), { recursive: true, force: true });
    log("data wiped");
  }
}

async function status(cacheDir: string): Promise<boolean> {
  const synapseHealthy = await synapseStatus(cacheDir);
  const livekitHealthy = await livekitStatus(cacheDir);
  const authHealthy = await livekitAuthStatus(cacheDir);
  return synapseHealthy && livekitHealthy && authHealthy;
}

async function synapseStatus(cacheDir: string): Promise<boolean> {
  const state = await readSynapseState(cacheDir);
  if (state === undefined) {
    log("synapse: not running (pnpm stack up starts it)");
    return false;
  }
  if (!(await isSynapseProcess(state.pid))) {
    log(`synapse: recorded pid ${state.pid} is gone (stale state; pnpm stack down clears it)`);
    return false;
  }
  const healthy = await fetch(`${state.baseUrl}/health`, { signal: AbortSignal.timeout(2000) })
    .then((response) => response.ok)
    .catch(() => false);
  log(
    `synapse: ${healthy ? "healthy" : "NOT answering /health"} at ${state.baseUrl} (pid ${state.pid}, profile ${state.profile}, since ${state.startedAt})`,
  );
  return healthy;
}

async function register(cacheDir: string, positionals: string[], values: Record<string, unknown>) {
  const state = await readSynapseState(cacheDir);
  if (state === undefined) throw new StackError("invalid-state", "synapse is not running");
  const localpart = positionals[1];
  const device = values.device;
  const user = await registerUser(state, {
    ...(localpart === undefined ? {} : { localpart }),
    admin: values.admin === true,
    ...(typeof device === "string" ? { deviceId: device } : {}),
  });
  console.log(JSON.stringify({ baseUrl: state.baseUrl, ...user }, null, 2));
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      only: { type: "string" },
      profile: { type: "string" },
      "livekit-service-url": { type: "string" },
      livekit: { type: "boolean" },
      "livekit-port": { type: "string" },
      "auth-port": { type: "string" },
      wipe: { type: "boolean" },
      admin: { type: "boolean" },
      device: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const cacheDir = mxrtcCacheDir();
  switch (values.help === true ? "help" : positionals[0]) {
    case "install":
      await install(cacheDir, parseOnly(values.only));
      return 0;
    case "up":
      await up(cacheDir, values);
      return 0;
    case "down":
      await down(cacheDir, values.wipe === true);
      return 0;
    case "status":
      return (await status(cacheDir)) ? 0 : 3;
    case "register":
      await register(cacheDir, positionals, values);
      return 0;
    case "help":
      console.log(USAGE);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      StackError.isInstance(error) || error instanceof Error ? error.message : String(error),
    );
    process.exitCode = 1;
  },
);
