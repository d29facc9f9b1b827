/**
 * Vitest global setup: one real livekit-server per vitest project that lists this file.
 *
 * Opt in from a package's vitest.config.ts:
 * `mxrtcProject("x", { globalSetup: ["../../tooling/stack/src/vitest-livekit-setup.ts"] })`,
 * then in a test: `const livekit = inject("livekit")` (typed through `@mxrtc/stack`).
 * The server has no webhook receivers (a test that needs webhooks starts its own with
 * `startLivekit({ webhookUrls })`). If livekit-server cannot be built or started the setup throws
 * with the reason and the tail of its log: the run fails, it never skips. The first run on a
 * machine builds livekit-server (several minutes); `pnpm stack install` does that ahead of time.
 */
import type { TestProject } from "vitest/node";
import "./provided-context.js";
import { type LivekitHandle, startLivekit } from "./start-livekit.js";

const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);

/** Starts livekit-server and provides its {@link LivekitInfo} as `"livekit"`; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const livekit: LivekitHandle = await startLivekit({ log });
  log(`livekit for project "${project.name}" ready in ${Date.now() - started} ms`);
  project.provide("livekit", {
    url: livekit.url,
    httpUrl: livekit.httpUrl,
    apiKey: livekit.apiKey,
    apiSecret: livekit.apiSecret,
    port: livekit.port,
    udpPort: livekit.udpPort,
  });
  return async () => {
    await livekit.stop();
  };
}
