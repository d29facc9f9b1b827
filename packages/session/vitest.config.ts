import { mxrtcProject } from "../../tooling/vitest/project.ts";

/** Unit tests (fakes) and Synapse integration tests (test/*.integration.test.ts) in one project. */
export default mxrtcProject("session", {
  globalSetup: ["../../tooling/stack/src/vitest-synapse-setup.ts"],
  testTimeout: 60_000,
});
