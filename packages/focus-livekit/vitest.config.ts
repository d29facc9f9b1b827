import { mxrtcProject } from "../../tooling/vitest/project.ts";

export default mxrtcProject("focus-livekit");
