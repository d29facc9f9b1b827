import { createConnection } from "node:net";
import { describe, expect, it } from "vitest";
import { processExists } from "./process-group.js";
import { StackError } from "./stack-error.js";
import { buildRedisConfig, redisPing, redisProcessId, startRedis } from "./start-redis.js";

/** One raw RESP command, returning the first reply line. */
function command(port: number, ...parts: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.once("error", reject);
    socket.once("connect", () => {
      const encoded = parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("");
      socket.write(`*${parts.length}\r\n${encoded}`);
    });
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      const lines = reply.split("\r\n");
      const complete = reply.startsWith("$") ? lines.length >= 3 : lines.length >= 2;
      if (complete) {
        socket.destroy();
        resolve(reply.startsWith("$") ? (lines[1] ?? "") : (lines[0] ?? ""));
      }
    });
  });
}

describe("startRedis", () => {
  it("answers PING, stores a value, and stops", async () => {
    const redis = await startRedis();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await redisPing(redis.port)).toBe(true);
      expect(await redisProcessId(redis.port)).toBe(redis.pid);
      expect(await command(redis.port, "SET", "mxrtc", "ok")).toBe("+OK");
      expect(await command(redis.port, "GET", "mxrtc")).toBe("ok");
    } finally {
      await redis.stop();
    }
    expect(processExists(redis.pid)).toBe(false);
    expect(await redisPing(redis.port)).toBe(false);
    await redis.stop(); // idempotent
  });

  it("refuses a taken port and names a missing binary", async () => {
    const redis = await startRedis();
    try {
      await expect(startRedis({ port: redis.port })).rejects.toMatchObject({
        code: "start-failed",
      });
    } finally {
      await redis.stop();
    }
    const error = await startRedis({ redisServer: "/nonexistent/redis-server" }).catch(
      (caught: unknown) => caught,
    );
    expect(StackError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("pnpm stack install");
  });

  it("writes a loopback-only config without persistence", () => {
    const config = buildRedisConfig({ port: 6400, dir: "/tmp/x", logFile: "/tmp/x/redis.log" });
    expect(config).toContain("bind 127.0.0.1\n");
    expect(config).toContain("protected-mode yes\n");
    expect(config).toContain('save ""\n');
    expect(config).toContain("appendonly no\n");
  });
});
