import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("cli", {
  globalSetup: ["../../tooling/stack/src/vitest-synapse-setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 60_000,
});
