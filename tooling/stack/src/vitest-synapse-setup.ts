/**
 * Vitest global setup: one real Synapse per vitest project that lists this file.
 *
 * Opt in from a package's vitest.config.ts:
 * `mxrtcProject("x", { globalSetup: ["../../tooling/stack/src/vitest-synapse-setup.ts"] })`,
 * then in a test: `const synapse = inject("synapse")` (typed through `@mxrtc/stack`).
 * If Synapse cannot be installed or started the setup throws with the reason and the tail of
 * Synapse's log: the run fails, it never skips.
 */
import type { TestProject } from "vitest/node";
import "./provided-context.js";
import { type SynapseHandle, startSynapse } from "./start-synapse.js";

const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);

/** Starts Synapse and provides its {@link SynapseInfo} as `"synapse"`; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const synapse: SynapseHandle = await startSynapse({ log });
  log(`synapse for project "${project.name}" ready in ${Date.now() - started} ms`);
  project.provide("synapse", {
    baseUrl: synapse.baseUrl,
    serverName: synapse.serverName,
    registrationSharedSecret: synapse.registrationSharedSecret,
    port: synapse.port,
  });
  return async () => {
    await synapse.stop();
  };
}
