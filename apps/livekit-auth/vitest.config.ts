import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("livekit-auth", {
  globalSetup: ["../../tooling/stack/src/vitest-synapse-setup.ts"],
  testTimeout: 60000,
});
