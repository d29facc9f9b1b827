import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { mxrtcCacheDir } from "./cache-dir.js";
import { freeLoopbackPort, freeLoopbackUdpPort, isLoopbackPortFree } from "./free-port.js";
import { installLivekitServer } from "./install-livekit-server.js";
import { buildLivekitConfig } from "./livekit-config.js";
import { killGroupOnExit, signalGroup, stopProcessGroup } from "./process-group.js";
import { logTail, type ServiceProcess, spawnService } from "./spawn-service.js";
import { StackError } from "./stack-error.js";
import { waitUntil } from "./wait-until.js";

/** What a test needs to talk to a running LiveKit SFU; plain data, safe to pass between processes. */
export interface LivekitInfo {
  /** `ws://127.0.0.1:<port>`: what LiveKit clients connect to. */
  url: string;
  /** `http://127.0.0.1:<port>`: the room service API (livekit-server-sdk's `RoomServiceClient`). */
  httpUrl: string;
  apiKey: string;
  apiSecret: string;
  port: number;
  /** The single UDP port media flows through. */
  udpPort: number;
}

/** A LiveKit SFU started by {@link startLivekit}. */
export interface LivekitHandle extends LivekitInfo {
  /** Process id of the server. */
  readonly pid: number;
  /** Folder with `livekit.json` (config) and `livekit.log`; a temp one is deleted by `stop()`/`kill()`. */
  readonly dataDir: string;
  /** SIGTERM (SIGKILL after the stop timeout), then delete the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL now, like a crash, then delete the temp dir. Idempotent. */
  kill(): Promise<void>;
}

/** Options of {@link startLivekit}. */
export interface StartLivekitOptions {
  /** Webhook receivers, e.g. `http://127.0.0.1:PORT/sfu_webhook` (default none). */
  readonly webhookUrls?: readonly string[];
  /** API key (default `"devkey"`). */
  readonly apiKey?: string;
  /** API secret, at least 32 characters (default: 48 random hex characters). */
  readonly apiSecret?: string;
  /** HTTP/WS port on 127.0.0.1 (default: a free one). */
  readonly port?: number;
  /** Media UDP port on 127.0.0.1 (default: a free one). */
  readonly udpPort?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** livekit's own log level in `livekit.log` (default `"info"`). */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
  /** Cache folder (default {@link mxrtcCacheDir}). */
  readonly cacheDir?: string;
  /** How long to wait for `GET /` to answer `OK` (default 30 000 ms). */
  readonly startTimeoutMs?: number;
  /** SIGTERM grace before SIGKILL (default 5 000 ms). */
  readonly stopTimeoutMs?: number;
  /**
   * Outlive this process, as `pnpm stack up --livekit` does (default false: dies with this
   * process). With it, the folder is `dataDir` and is kept by `stop()`.
   */
  readonly background?: boolean;
  /** Folder for config and log (default: a fresh temp dir that `stop()` deletes). */
  readonly dataDir?: string;
}

async function answersOk(httpUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${httpUrl}/`, { signal: AbortSignal.timeout(2000) });
    return response.ok && (await response.text()).trim() === "OK";
  } catch {
    return false;
  }
}

/**
 * Installs (if needed) and starts a real livekit-server on 127.0.0.1 and waits until it is ready.
 *
 * @remarks Free TCP and UDP ports are picked unless given; the config (see
 * {@link buildLivekitConfig}) keeps signalling, API and media on loopback and never asks public
 * STUN servers. Ready means `GET http://127.0.0.1:PORT/` answers `OK`, typically a fraction of a
 * second after spawn. The server leads its own process group, dies with this process (exit hook +
 * parent-death signal), and `stop()` sends SIGTERM then SIGKILL after `stopTimeoutMs`. Throws a
 * {@link StackError} (`start-failed`) with the tail of `livekit.log` when it cannot start.
 *
 * @example
 * ```ts
 * const livekit = await startLivekit({ webhookUrls: ["http://127.0.0.1:8080/sfu_webhook"] });
 * const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
 * await rooms.createRoom({ name: "call" });
 * await livekit.stop();
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function startLivekit(options: StartLivekitOptions = {}): Promise<LivekitHandle> {
  const log = options.log ?? (() => {});
  const apiKey = options.apiKey ?? "devkey";
  const apiSecret = options.apiSecret ?? randomBytes(24).toString("hex");
  if (apiSecret.length < 32) {
    throw new StackError("invalid-argument", "apiSecret must have at least 32 characters");
  }
  const { binary } = await installLivekitServer({
    log,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
  if (options.port !== undefined && !(await isLoopbackPortFree(options.port))) {
    throw new StackError("start-failed", `port 127.0.0.1:${options.port} is already in use`);
  }
  const launchOnce = async (port: number, udpPort: number): Promise<LivekitHandle> => {
    const httpUrl = `http://127.0.0.1:${port}`;
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "mxrtc-livekit-")));
    await mkdir(dataDir, { recursive: true });
    const configPath = join(dataDir, "livekit.json");
    const logFile = join(dataDir, "livekit.log");
    await writeFile(
      configPath,
      `${JSON.stringify(
        buildLivekitConfig({
          port,
          udpPort,
          apiKey,
          apiSecret,
          ...(options.webhookUrls === undefined ? {} : { webhookUrls: options.webhookUrls }),
          ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
        }),
        null,
        2,
      )}\n`,
      { mode: 0o600 },
    );
    const started = Date.now();
    const server: ServiceProcess = spawnService({
      command: binary,
      args: ["--config", configPath],
      cwd: dataDir,
      logFile,
      background: options.background === true,
    });
    const forget = options.background === true ? () => {} : killGroupOnExit(server.pid);
    let finished = false;
    const halt = async (signal: NodeJS.Signals) => {
      if (finished) return;
      finished = true;
      if (signal === "SIGTERM") {
        // livekit drops a SIGTERM that arrives in its first ~100 ms of serving (it is not
        // "running" yet); a second SIGTERM is its forced stop. So: one SIGTERM, 1 s, then the
        // usual SIGTERM + SIGKILL-after-timeout.
        signalGroup(server.pid, "SIGTERM");
        await Promise.race([server.exited, sleep(1_000, undefined, { ref: false })]);
      }
      await stopProcessGroup(server.pid, {
        exited: server.exited,
        signal,
        timeoutMs: options.stopTimeoutMs ?? 5_000,
      });
      forget();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    };

    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const outcome = await waitUntil(() => answersOk(httpUrl), {
      timeoutMs,
      stopWhen: () => server.exitStatus() !== undefined,
    });
    // Ready only counts if our process is still the one listening.
    if (outcome !== "ready" || server.exitStatus() !== undefined) {
      const reason =
        outcome !== "timeout"
          ? `livekit-server exited (${String(server.exitStatus())}) before answering ${httpUrl}/`
          : `livekit-server did not answer ${httpUrl}/ within ${timeoutMs} ms`;
      const tail = await logTail(logFile);
      await halt("SIGKILL");
      throw new StackError("start-failed", `${reason}\n${tail}`);
    }
    // HTTP answers ~100 ms before livekit counts itself running (and honours SIGTERM).
    await sleep(150);
    if (server.exitStatus() !== undefined) {
      // Another server answered on a port we lost between picking and binding it.
      const tail = await logTail(logFile);
      await halt("SIGKILL");
      throw new StackError("start-failed", `livekit-server exited right after start\n${tail}`);
    }
    log(`livekit-server ready at ${httpUrl} (udp ${udpPort}) after ${Date.now() - started} ms`);

    return {
      url: `ws://127.0.0.1:${port}`,
      httpUrl,
      apiKey,
      apiSecret,
      port,
      udpPort,
      pid: server.pid,
      dataDir,
      stop: () => halt("SIGTERM"),
      kill: () => halt("SIGKILL"),
    };
  };

  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freeLoopbackPort());
    const udpPort = options.udpPort ?? (await freeLoopbackUdpPort());
    const picked = [
      ...(options.port === undefined ? [port] : []),
      ...(options.udpPort === undefined ? [udpPort] : []),
    ];
    try {
      return await launchOnce(port, udpPort);
    } catch (error) {
      // A port picked free can be taken before livekit binds it (parallel test runs): retry
      // with new ports, but only when the port it could not bind is one we picked.
      const message = StackError.isInstance(error) ? error.message : "";
      const bindErrors = message.split("\n").filter((line) => /address already in use/i.test(line));
      const raced = picked.some((candidate) =>
        bindErrors.some((line) => line.includes(`127.0.0.1:${candidate}:`)),
      );
      if (!raced || attempt >= 3) throw error;
      log(`livekit-server lost a port race (attempt ${attempt}); retrying with new ports`);
    }
  }
}
