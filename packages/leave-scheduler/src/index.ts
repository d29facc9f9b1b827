/**
 * `@mxrtc/leave-scheduler`: arm a MatrixRTC member's delayed leave (MSC4140) before joining,
 * heartbeat it, and send it the moment the call is lost.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 * @packageDocumentation
 */
export type { Clock } from "./clock.js";
export { systemClock } from "./clock.js";
export type {
  DelayIdStorage,
  LocalStorageDelayIdStorageOptions,
  WebStorageLike,
} from "./delay-id-storage.js";
export {
  createLocalStorageDelayIdStorage,
  createMemoryDelayIdStorage,
  delayIdStorageKey,
} from "./delay-id-storage.js";
export { createLeaveScheduler } from "./leave-scheduler.js";
export type { LeaveSchedulerErrorCode } from "./leave-scheduler-error.js";
export { LeaveSchedulerError } from "./leave-scheduler-error.js";
export type {
  LeaveMethod,
  LeaveSchedulerEventMap,
  LeaveSchedulerEventName,
  LeaveSchedulerListener,
  LeftCause,
  RejoinCause,
} from "./leave-scheduler-events.js";
export type {
  LeaveDelegation,
  LeaveScheduler,
  LeaveSchedulerOptions,
  LeaveTarget,
  RejoinContext,
  RejoinPolicy,
  SendMembership,
} from "./leave-scheduler-options.js";
export type { LeaveSchedulerState } from "./leave-scheduler-state.js";
export { isAllowedTransition, LEAVE_SCHEDULER_TRANSITIONS } from "./leave-scheduler-state.js";
export { defaultRejoinPolicy } from "./rejoin-policy.js";
export type { LeaveTiming } from "./timing.js";
export {
  DEFAULT_LEAVE_TIMING,
  DELEGATED_LEAVE_TIMING,
  MINIMUM_DELAY_MS,
  MINIMUM_RESTART_TIMEOUT_MS,
  resolveLeaveTiming,
} from "./timing.js";
