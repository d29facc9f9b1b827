import { spawn } from "node:child_process";
import { once } from "node:events";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { processExists } from "./process-group.js";
import { waitUntil } from "./wait-until.js";

const CHILD = fileURLToPath(new URL("./__fixtures__/start-services-child.ts", import.meta.url));

it("LiveKit and Redis die when the Node process that started them is SIGKILLed", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@mxrtc/source", CHILD], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    output += chunk;
  });
  const started = await waitUntil(async () => output.includes("\n"), { timeoutMs: 60_000 });
  expect(started).toBe("ready");
  const pids = JSON.parse(output) as { livekit: number; redis: number; dirs: string[] };
  expect(processExists(pids.livekit)).toBe(true);
  expect(processExists(pids.redis)).toBe(true);
  child.kill("SIGKILL");
  await once(child, "exit");
  const gone = await waitUntil(
    async () => !processExists(pids.livekit) && !processExists(pids.redis),
    { timeoutMs: 10_000 },
  );
  expect(gone).toBe("ready");
  // Nobody ran stop(), so the temp dirs stay; this test cleans up after itself.
  for (const dir of pids.dirs) await rm(dir, { recursive: true, force: true });
}, 90_000);
