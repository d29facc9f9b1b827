/**
 * `@mxrtc/focus-livekit`: the MatrixRTC LiveKit focus plugin (MSC4195).
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 * @packageDocumentation
 */
export type {
  LivekitDelegationRequest,
  LivekitDelegationResult,
} from "./delegate-delayed-leave.js";
export { delegateLivekitDelayedLeave, delegationBody } from "./delegate-delayed-leave.js";
export type {
  LivekitFocusConnection,
  LivekitFocusConnectionState,
  LivekitParticipant,
} from "./livekit-focus-connection.js";
export type {
  LivekitFocusErrorCode,
  LivekitFocusErrorOptions,
} from "./livekit-focus-error.js";
export { LivekitFocusError } from "./livekit-focus-error.js";
export type {
  LivekitFocusPlugin,
  LivekitFocusPluginOptions,
  LivekitPublish,
} from "./livekit-focus-plugin.js";
export { createLivekitFocusPlugin, LIVEKIT_FOCUS_TYPE } from "./livekit-focus-plugin.js";
export { mapLivekitDisconnectReason } from "./map-disconnect-reason.js";
export { memberIdentities } from "./member-identities.js";
export type { FetchLike } from "./post-json.js";
export type {
  LivekitTokenEndpoint,
  LivekitTokenGrant,
  LivekitTokenRequest,
} from "./request-livekit-token.js";
export { getTokenBody, legacySfuGetBody, requestLivekitToken } from "./request-livekit-token.js";
export type {
  CreateRoom,
  LivekitRoomEventName,
  LocalTrackLike,
  RemoteParticipantLike,
  RemoteTrackPublicationLike,
  RoomLike,
} from "./room-like.js";
export { LIVEKIT_DISCONNECT_REASON } from "./room-like.js";
