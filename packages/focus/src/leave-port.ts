import type { DisconnectReason } from "./disconnect-reason.js";

/**
 * What a focus reports when it has lost the call for good.
 *
 * @example
 * ```ts
 * const report: DisconnectReport = { reason: "reconnect-failed", message: "3 ICE restarts failed" };
 * ```
 */
export interface DisconnectReport {
  /** Why the call was lost. */
  readonly reason: DisconnectReason;
  /** Human-readable detail for logs; never shown as the only diagnosis. */
  readonly message?: string;
  /** The underlying error, if there was one. */
  readonly cause?: unknown;
}

/**
 * The one thing a focus may do about the Matrix side of a call: say that the media is gone.
 *
 * @remarks The host (the session) hands a `LeavePortV1` to the focus when it connects. The focus
 * calls {@link LeavePortV1.reportDisconnect} exactly once when it has lost the call for good
 * (after its own reconnect attempts). The host then sends the scheduled delayed leave at once,
 * so other members see this participant go within a round trip instead of after the delayed
 * leave's timeout, or, when the host is configured to rejoin, re-arms the delayed leave and
 * rejoins.
 *
 * Rules for implementations of the port (the host side):
 * - `reportDisconnect` returns synchronously and never throws; the work happens in the background.
 * - It is idempotent: the second and later reports are ignored.
 * - It is ignored after the host closed.
 *
 * Rules for callers (the focus side): report only terminal loss, not a transient reconnect; never
 * call the port after the focus was closed by the host.
 *
 * This interface is a versioned specification: it never changes after release. A breaking idea
 * becomes `LeavePortV2` plus an adapter in the host.
 *
 * @example
 * ```ts
 * import type { LeavePortV1 } from "@mxrtc/focus";
 *
 * function onPeerConnectionFailed(leavePort: LeavePortV1, error: unknown): void {
 *   leavePort.reportDisconnect({ reason: "media-connection-lost", cause: error });
 * }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140 (delayed events)
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143 (MatrixRTC)
 */
export interface LeavePortV1 {
  /** The version of this specification; always `"v1"`. */
  readonly specificationVersion: "v1";
  /** A focus lost the call for good. Idempotent; ignored after the scheduler closed. */
  reportDisconnect(input: DisconnectReport): void;
}
