/**
 * @mxrtc/types: wire formats and never-throwing parsers for every MatrixRTC membership dialect
 * (legacy state events, matrix-js-sdk sticky events, the latest MSC4143 draft), transports, slot ids,
 * MSC4354 stickiness and MSC4195 LiveKit hashing.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */
export {
  DEFAULT_SLOT_ID,
  LEGACY_DEFAULT_EXPIRES_MS,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  MAX_STICKY_DURATION_MS,
  MEDIASOUP_TRANSPORT_TYPE,
  PARSE_LIMITS,
  RTC_MEMBER_EVENT_TYPE,
  RTC_SLOT_EVENT_TYPE,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
  UNSTABLE_RTC_SLOT_EVENT_TYPE,
} from "./constants.js";
export { buildLegacyMembershipContent, parseLegacyMembershipContent } from "./legacy-membership.js";
export {
  isAuthenticLegacyStateKey,
  isOwnedStateRoomVersion,
  legacyMembershipStateKey,
} from "./legacy-state-key.js";
export { legacyLivekitIdentity, livekitIdentity, livekitRoomAlias } from "./livekit-hash.js";
export type {
  FocusSelection,
  MembershipContent,
  MembershipDialect,
  MembershipJoinContent,
  MembershipLeaveContent,
  ParseReuse,
  RtcApplication,
} from "./membership-content.js";
export type { ParseError, ParseResult } from "./parse-result.js";
export { parseRtcMemberContent } from "./rtc-member.js";
export { parseSlotContent, type RtcSlotContent } from "./slot-content.js";
export { legacyFieldsFromSlotId, parseSlotId, slotIdFromLegacy } from "./slot-id.js";
export { stickyExpiresTs } from "./sticky-expires-ts.js";
export {
  buildStickyLeaveContent,
  buildStickyMembershipContent,
} from "./sticky-membership-content.js";
export {
  type FullMeshTransport,
  isFullMeshTransport,
  isLivekitTransport,
  isMediasoupTransport,
  type LivekitTransport,
  type MediasoupTransport,
  parseTransport,
  type RtcTransport,
  transportsEqual,
} from "./transport.js";
export { TypesError } from "./types-error.js";
