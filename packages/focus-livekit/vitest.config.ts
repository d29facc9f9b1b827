import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("focus-livekit", { testTimeout: 60_000, hookTimeout: 240_000 });
