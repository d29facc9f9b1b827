import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("delayed-events", {
  globalSetup: ["../../tooling/stack/src/vitest-synapse-setup.ts"],
  testTimeout: 30_000,
});
