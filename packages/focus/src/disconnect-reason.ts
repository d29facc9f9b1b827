/**
 * Why a focus lost the call for good, as reported through {@link LeavePortV1.reportDisconnect}.
 *
 * @remarks The named values cover what every focus in this toolkit can tell apart. A plugin may
 * pass its own string (prefer a reverse-DNS name such as `"com.example.sfu-drained"`); hosts treat
 * any unknown value like `"unknown"`.
 *
 * - `"media-connection-lost"`: ICE/DTLS or the SFU signalling connection dropped and did not come back.
 * - `"reconnect-failed"`: the focus tried to reconnect and gave up.
 * - `"server-left"`: the SFU closed the room or shut down.
 * - `"kicked"`: the SFU removed this participant.
 * - `"token-expired"`: the SFU credentials (e.g. a LiveKit JWT) expired and could not be renewed.
 * - `"connect-failed"`: the first connection never succeeded.
 * - `"unknown"`: anything else.
 *
 * @example
 * ```ts
 * import type { DisconnectReason } from "@mxrtc/focus";
 * const reason: DisconnectReason = "media-connection-lost";
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export type DisconnectReason =
  | "media-connection-lost"
  | "reconnect-failed"
  | "server-left"
  | "kicked"
  | "token-expired"
  | "connect-failed"
  | "unknown"
  | (string & {});

/**
 * The disconnect reasons this version of the specification names, in a stable order.
 *
 * @remarks Useful for exhaustive tests and for mapping unknown strings to `"unknown"`.
 *
 * @example
 * ```ts
 * import { DISCONNECT_REASONS } from "@mxrtc/focus";
 * const known = DISCONNECT_REASONS.includes("kicked"); // true
 * ```
 */
export const DISCONNECT_REASONS: readonly DisconnectReason[] = Object.freeze([
  "media-connection-lost",
  "reconnect-failed",
  "server-left",
  "kicked",
  "token-expired",
  "connect-failed",
  "unknown",
]);
