import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("demo", { testTimeout: 120_000, hookTimeout: 60_000 });
