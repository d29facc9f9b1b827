/**
 * `@mxrtc/focus`: the specification a MatrixRTC focus plugin implements.
 *
 * @remarks The leave side of the specification ({@link LeavePortV1}, {@link DisconnectReason},
 * {@link FocusError}) and the plugin side ({@link FocusPluginV1}, {@link FocusConnectionV1},
 * {@link FocusMatrixPortV1}). Prove a plugin with `@mxrtc/focus-testkit`.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */
export type { DisconnectReason } from "./disconnect-reason.js";
export { DISCONNECT_REASONS } from "./disconnect-reason.js";
export type {
  FocusConnectionEventsV1,
  FocusConnectionV1,
  FocusDelayedLeaveDelegationV1,
} from "./focus-connection.js";
export type { FocusErrorOptions } from "./focus-error.js";
export { FocusError } from "./focus-error.js";
export type {
  FocusMatrixPortV1,
  FocusOpenIdTokenV1,
  FocusToDeviceEventV1,
} from "./focus-matrix-port.js";
export type {
  FocusConnectOptionsV1,
  FocusMemberV1,
  FocusPluginV1,
  FocusTransportV1,
} from "./focus-plugin.js";
export { isFocusPluginV1 } from "./focus-plugin.js";
export type { DisconnectReport, LeavePortV1 } from "./leave-port.js";
