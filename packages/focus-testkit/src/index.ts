/**
 * `@mxrtc/focus-testkit`: prove a MatrixRTC focus plugin keeps the `FocusPluginV1` contract.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */

export type {
  FocusConformanceCheck,
  FocusConformanceCheckId,
} from "./conformance-checks.js";
export {
  FOCUS_PLUGIN_CONFORMANCE_CHECKS,
  runFocusPluginConformanceCheck,
} from "./conformance-checks.js";
export type {
  FocusConformanceContext,
  FocusConformanceHarness,
  FocusConformanceOptions,
  FocusConformanceSupport,
  FocusConformanceTimeouts,
} from "./conformance-options.js";
export { describeFocusPluginConformance } from "./describe-focus-plugin-conformance.js";
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
export type { TimerTracker, TimerTrackerOptions, TrackedTimer } from "./timer-tracker.js";
export { installTimerTracker } from "./timer-tracker.js";
