/**
 * `@mxrtc/focus-testkit`: prove a MatrixRTC focus plugin keeps the `FocusPluginV1` contract.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */
export type { FakeClock, FakeClockOptions } from "./fake-clock.js";
export { createFakeClock } from "./fake-clock.js";
export type {
  FakeFocusMatrixPort,
  FakeFocusMatrixPortOptions,
  FakeMatrixNetwork,
  FakeSentToDevice,
} from "./fake-focus-matrix-port.js";
export { createFakeFocusMatrixPort, createFakeMatrixNetwork } from "./fake-focus-matrix-port.js";
export type { FakeLeavePort } from "./fake-leave-port.js";
export { createFakeLeavePort } from "./fake-leave-port.js";
export type { TimerTracker, TrackedTimer } from "./timer-tracker.js";
export { installTimerTracker } from "./timer-tracker.js";
