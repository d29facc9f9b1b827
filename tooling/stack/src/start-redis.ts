import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freeLoopbackPort, isLoopbackPortFree } from "./free-port.js";
import { killGroupOnExit, stopProcessGroup } from "./process-group.js";
import { logTail, spawnService } from "./spawn-service.js";
import { StackError } from "./stack-error.js";
import { waitUntil } from "./wait-until.js";

/** Where Debian's `redis-server` package puts the server. */
export const REDIS_SERVER_PATH = "/usr/bin/redis-server";

/** A Redis started by {@link startRedis}. */
export interface RedisHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Temp folder with `redis.conf` and `redis.log`; deleted by `stop()`. */
  readonly dataDir: string;
  /** SIGTERM (SIGKILL after 5 s), then delete the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Port on 127.0.0.1 (default: a free one). */
  readonly port?: number;
  /** The server binary (default {@link REDIS_SERVER_PATH}). */
  readonly redisServer?: string;
  /** How long to wait for PING (default 10 000 ms). */
  readonly startTimeoutMs?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
}

/**
 * Sends one raw RESP `PING` to 127.0.0.1:port and resolves true on `+PONG`.
 *
 * @example
 * ```ts
 * const alive = await redisPing(6379);
 * ```
 */
export function redisPing(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const finish = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) finish(reply.startsWith("+PONG"));
    });
  });
}

/**
 * The `process_id` a Redis on 127.0.0.1:port reports (raw RESP `INFO server`), or undefined.
 *
 * @example
 * ```ts
 * const pid = await redisProcessId(6379);
 * ```
 */
export function redisProcessId(port: number, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    const finish = (result: number | undefined) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish(undefined));
    socket.once("error", () => finish(undefined));
    socket.once("connect", () => socket.write("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.startsWith("-")) finish(undefined);
      const match = /process_id:(\d+)\r/.exec(reply);
      if (match !== null) finish(Number(match[1]));
    });
  });
}

/** redis.conf for a throwaway loopback server: no persistence, protected mode, logs to a file. */
export function buildRedisConfig(input: { port: number; dir: string; logFile: string }): string {
  return [
    `port ${input.port}`,
    "bind 127.0.0.1",
    "protected-mode yes",
    "daemonize no",
    "supervised no",
    `dir ${input.dir}`,
    `logfile ${input.logFile}`,
    'save ""',
    "appendonly no",
    "databases 16",
    "loglevel notice",
    "",
  ].join("\n");
}

/**
 * Starts a real Redis (Debian's `redis-server`) on 127.0.0.1 and waits until it answers PING.
 *
 * @remarks The config is generated into a temp dir (bind 127.0.0.1, protected mode, no RDB or
 * AOF persistence). The process leads its own group and dies with this process; `stop()` ends it
 * and removes the dir. Install it with `pnpm stack install` (apt package `redis-server`). Throws
 * a {@link StackError} (`start-failed`) with the log tail, or naming the missing binary.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * console.log(redis.url); // redis://127.0.0.1:40123
 * await redis.stop();
 * ```
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisHandle> {
  const command = options.redisServer ?? REDIS_SERVER_PATH;
  const present = await access(command).then(
    () => true,
    () => false,
  );
  if (!present) {
    throw new StackError(
      "start-failed",
      `${command} not found: run \`pnpm stack install\` (apt package redis-server)`,
    );
  }
  if (options.port !== undefined && !(await isLoopbackPortFree(options.port))) {
    throw new StackError("start-failed", `port 127.0.0.1:${options.port} is already in use`);
  }
  const launchOnce = async (port: number): Promise<RedisHandle> => {
    const dir = await mkdtemp(join(tmpdir(), "mxrtc-redis-"));
    const logFile = join(dir, "redis.log");
    const configPath = join(dir, "redis.conf");
    await writeFile(configPath, buildRedisConfig({ port, dir, logFile }));
    const started = Date.now();
    const server = spawnService({ command, args: [configPath], cwd: dir, logFile });
    const forget = killGroupOnExit(server.pid);
    let finished = false;
    const halt = async (signal: NodeJS.Signals) => {
      if (finished) return;
      finished = true;
      await stopProcessGroup(server.pid, { exited: server.exited, signal, timeoutMs: 5_000 });
      forget();
      await rm(dir, { recursive: true, force: true });
    };
    const timeoutMs = options.startTimeoutMs ?? 10_000;
    // Ready when the server answering on the port is ours (not one that won a port race).
    const outcome = await waitUntil(async () => (await redisProcessId(port)) === server.pid, {
      timeoutMs,
      stopWhen: () => server.exitStatus() !== undefined,
    });
    if (outcome !== "ready" || server.exitStatus() !== undefined) {
      const tail = await logTail(logFile);
      await halt("SIGKILL");
      throw new StackError(
        "start-failed",
        `redis-server did not answer PING on 127.0.0.1:${port} (${outcome})\n${tail}`,
      );
    }
    options.log?.(`redis ready on 127.0.0.1:${port} after ${Date.now() - started} ms`);
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      pid: server.pid,
      dataDir: dir,
      stop: () => halt("SIGTERM"),
    };
  };
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freeLoopbackPort());
    try {
      return await launchOnce(port);
    } catch (error) {
      // A port picked free can be taken before Redis binds it (parallel test runs): retry.
      const message = StackError.isInstance(error) ? error.message : "";
      if (options.port !== undefined || !/address already in use/i.test(message) || attempt >= 3) {
        throw error;
      }
      options.log?.(`redis lost a port race (attempt ${attempt}); retrying with a new port`);
    }
  }
}
