import { createSocket, type Socket } from "node:dgram";
import { afterAll, beforeAll, expect, it, vi } from "vitest";

// The first UDP port handed out is one this test holds, as if another process took it between
// picking and binding; startLivekit must retry with a fresh pick.
const held = vi.hoisted(() => ({ port: 0, picks: 0 }));
vi.mock("./free-port.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("./free-port.js")>();
  return {
    ...original,
    freeLoopbackUdpPort: async () => {
      held.picks += 1;
      return held.picks === 1 ? held.port : original.freeLoopbackUdpPort();
    },
  };
});

const { startLivekit } = await import("./start-livekit.js");

let socket: Socket;
beforeAll(async () => {
  socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  held.port = socket.address().port;
});
afterAll(() => socket.close());

it("retries with new ports when a port it picked is taken before livekit binds it", async () => {
  const lines: string[] = [];
  const livekit = await startLivekit({ log: (line) => lines.push(line) });
  try {
    expect(held.picks).toBe(2);
    expect(livekit.udpPort).not.toBe(held.port);
    expect(lines.some((line) => line.includes("lost a port race"))).toBe(true);
    expect((await fetch(`${livekit.httpUrl}/`)).ok).toBe(true);
  } finally {
    await livekit.stop();
  }
});
