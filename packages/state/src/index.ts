export { type ApplyEventOptions, applyEvent, applyEvents } from "./apply-event.js";
export {
  type CreateRoomRtcStateOptions,
  createRoomRtcState,
  type RoomRtcState,
} from "./room-rtc-state.js";
export type { RtcDiagnostic, RtcDiagnosticCode } from "./rtc-diagnostic.js";
export type { RtcMembership } from "./rtc-membership.js";
export type { RtcSessionParticipant, RtcSessionRecord } from "./rtc-session-record.js";
export { RtcStateError } from "./rtc-state-error.js";
export { selectDiagnostics, selectDroppedDiagnosticCount } from "./select-diagnostics.js";
export {
  type InactiveMembership,
  type InactiveReason,
  selectInactiveMemberships,
  selectMemberships,
} from "./select-memberships.js";
export type { SlotSelectOptions } from "./select-options.js";
export { type SelectSessionsOptions, selectSessions } from "./select-sessions.js";
export { selectSlotIds } from "./select-slot-ids.js";
export {
  type MemberTransport,
  selectMemberTransports,
  selectTransport,
} from "./select-transport.js";
