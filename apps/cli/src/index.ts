export { CliError, type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli-io.js";
export { describeMatrixFailure } from "./describe-matrix-failure.js";
export { MINIMUM_USEFUL_MAX_DELAY_MS } from "./doctor-account-checks.js";
export type {
  DoctorContext,
  DoctorIdentity,
  DoctorResult,
} from "./doctor-check.js";
export { DOCTOR_USAGE, doctorCommand } from "./doctor-command.js";
export { DOCTOR_DELAY_MS } from "./doctor-write-checks.js";
export { formatDoctorLine, formatDoctorSummary } from "./format-doctor.js";
export { formatInspectText } from "./format-text.js";
export { INSPECT_USAGE, inspectCommand, parseNow } from "./inspect-command.js";
export { type InspectLiveOptions, inspectLive } from "./inspect-live.js";
export {
  buildInspectReport,
  type InspectReport,
  type ReportInactiveMember,
  type ReportMember,
  type ReportSlot,
} from "./inspect-report.js";
export { JOIN_USAGE, joinCommand } from "./join-command.js";
export { fetchLiveRoomDump, type LiveRoomDump, roomSyncFilter } from "./live-room-dump.js";
export { latestOriginServerTs, type RoomDump, readRoomDump } from "./room-dump.js";
export { run, USAGE } from "./run.js";
export { type DoctorReport, type RunDoctorOptions, runDoctor } from "./run-doctor.js";
