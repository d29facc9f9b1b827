/**
 * `@mxrtc/focus`: the specification a MatrixRTC focus plugin implements.
 *
 * @remarks This version holds the leave side of the specification ({@link LeavePortV1},
 * {@link DisconnectReason}, {@link FocusError}). `FocusPluginV1` and `FocusConnectionV1` are
 * added next, without changing anything exported here.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */
export type { DisconnectReason } from "./disconnect-reason.js";
export { DISCONNECT_REASONS } from "./disconnect-reason.js";
export type { FocusErrorOptions } from "./focus-error.js";
export { FocusError } from "./focus-error.js";
export type { DisconnectReport, LeavePortV1 } from "./leave-port.js";
