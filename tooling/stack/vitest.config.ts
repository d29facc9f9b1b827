import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("stack", {
  globalSetup: ["./src/vitest-synapse-setup.ts", "./src/vitest-livekit-setup.ts"],
  testTimeout: 30_000,
  hookTimeout: 120_000,
});
