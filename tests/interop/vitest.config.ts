import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("interop", {
  globalSetup: ["../../tooling/stack/src/vitest-synapse-setup.ts"],
  setupFiles: ["./src/node20-polyfills.ts"],
  testTimeout: 120_000,
  hookTimeout: 60_000,
});
