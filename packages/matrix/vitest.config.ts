import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("matrix", {
  globalSetup: ["../../tooling/stack/src/vitest-synapse-setup.ts"],
  testTimeout: 30_000,
});
