import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const stateDir = mkdtempSync(join(tmpdir(), "mxrtc-stack-up-"));

function stack(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@mxrtc/source", "tooling/stack/src/cli.ts", ...args],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, MXRTC_STACK_DIR: stateDir },
      timeout: 90_000,
    },
  );
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

afterAll(() => {
  stack("down", "--wipe");
  rmSync(stateDir, { recursive: true, force: true });
});

it("pnpm stack up --livekit brings up Synapse, LiveKit and the auth service, wired together", async () => {
  const up = stack("up", "--livekit");
  expect(up.code, up.output).toBe(0);
  const status = stack("status");
  expect(status.code, status.output).toBe(0);
  expect(status.output).toMatch(/livekit-auth: healthy/);

  const synapse = JSON.parse(readFileSync(join(stateDir, "synapse.json"), "utf8"));
  const auth = JSON.parse(readFileSync(join(stateDir, "livekit-auth.json"), "utf8"));
  const livekit = JSON.parse(readFileSync(join(stateDir, "livekit.json"), "utf8"));
  expect((await fetch(`${auth.url}/healthz`)).status).toBe(200);
  // Synapse advertises the service; LiveKit was told to send it webhooks.
  const wellKnown = await (await fetch(`${synapse.baseUrl}/.well-known/matrix/client`)).json();
  expect(JSON.stringify(wellKnown)).toContain(auth.url);
  const config = readFileSync(join(livekit.dataDir, "livekit.json"), "utf8");
  expect(config).toContain(`${auth.url}/sfu_webhook`);

  const down = stack("down");
  expect(down.code, down.output).toBe(0);
  expect(stack("status").code).not.toBe(0);
});
