/**
 * `@mxrtc/session`: a MatrixRTC call session. Feeds sync into the `@mxrtc/state` reducer, lists
 * the members of a slot with their transports, writes our membership in the dialect the room's
 * other clients read behind a delayed leave (`@mxrtc/leave-scheduler`), and runs the focus plugin
 * that serves the active transport.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */
export { createRtcSession } from "./create-rtc-session.js";
export {
  discoverTransports,
  RTC_TRANSPORTS_PATH,
  WELL_KNOWN_FOCI_KEY,
} from "./discover-transports.js";
export type { FocusController, FocusControllerOptions, FocusTarget } from "./focus-controller.js";
export { createFocusController } from "./focus-controller.js";
export type { SessionFocusMatrixPort } from "./focus-matrix-port.js";
export { createFocusMatrixPort } from "./focus-matrix-port.js";
export type {
  OwnMembershipFields,
  OwnMembershipPlan,
  WriteDialect,
} from "./own-membership.js";
export {
  buildOwnMembershipContent,
  legacyExpiresMs,
  planOwnMembership,
} from "./own-membership.js";
export type { PowerLevelCheck } from "./power-levels.js";
export { checkPowerLevel, isForbidden } from "./power-levels.js";
export type { SessionErrorCode, SessionErrorOptions } from "./session-error.js";
export { SessionError } from "./session-error.js";
export type {
  JoinState,
  RtcSessionEventMap,
  RtcSessionEventName,
  RtcSessionListener,
} from "./session-events.js";
export type { FocusStatus, SessionMembership } from "./session-membership.js";
export { focusStatusFor } from "./session-membership.js";
export type {
  JoinOptions,
  RtcSession,
  RtcSessionOptions,
  SessionSchedulerOptions,
} from "./session-options.js";
export { syncBatchEvents } from "./sync-batch-events.js";
