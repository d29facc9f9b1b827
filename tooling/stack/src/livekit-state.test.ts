import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import {
  clearLivekitState,
  isLivekitProcess,
  readLivekitState,
  type StackLivekitState,
  writeLivekitState,
} from "./livekit-state.js";

it("records, reads and clears the background LiveKit of `pnpm stack up --livekit`", async () => {
  const cacheDir = await mkdtemp(join(tmpdir(), "mxrtc-livekit-state-"));
  try {
    expect(await readLivekitState(cacheDir)).toBeUndefined();
    const state: StackLivekitState = {
      url: "ws://127.0.0.1:7880",
      httpUrl: "http://127.0.0.1:7880",
      apiKey: "devkey",
      apiSecret: "s".repeat(48),
      port: 7880,
      udpPort: 7882,
      pid: process.pid,
      dataDir: join(cacheDir, "stack", "livekit"),
      startedAt: "2026-11-25T00:00:00.000Z",
    };
    await writeLivekitState(cacheDir, state);
    expect(await readLivekitState(cacheDir)).toEqual(state);
    // This test process is alive but is not a livekit-server: a reused pid is not trusted.
    expect(await isLivekitProcess(process.pid)).toBe(false);
    await clearLivekitState(cacheDir);
    expect(await readLivekitState(cacheDir)).toBeUndefined();
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
});
