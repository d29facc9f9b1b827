import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

// The first TCP port handed out is one this test holds (a server that never answers), as if
// another process took it between picking and binding; startRedis must retry with a fresh pick.
const held = vi.hoisted(() => ({ port: 0, picks: 0 }));
vi.mock("./free-port.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("./free-port.js")>();
  return {
    ...original,
    freeLoopbackPort: async () => {
      held.picks += 1;
      return held.picks === 1 ? held.port : original.freeLoopbackPort();
    },
  };
});

const { startRedis, redisProcessId } = await import("./start-redis.js");

let blocker: Server;
beforeAll(async () => {
  blocker = createServer(() => {});
  blocker.listen(0, "127.0.0.1");
  await once(blocker, "listening");
  const address = blocker.address();
  held.port = typeof address === "object" && address !== null ? address.port : 0;
});
afterAll(() => {
  blocker.close();
});

it("retries with a new port when the port it picked is taken before Redis binds it", async () => {
  const lines: string[] = [];
  const redis = await startRedis({ log: (line) => lines.push(line) });
  try {
    expect(held.picks).toBe(2);
    expect(redis.port).not.toBe(held.port);
    expect(lines.some((line) => line.includes("lost a port race"))).toBe(true);
    expect(await redisProcessId(redis.port)).toBe(redis.pid);
  } finally {
    await redis.stop();
  }
});
