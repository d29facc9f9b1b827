export { CliError, type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli-io.js";
export { formatInspectText } from "./format-text.js";
export { INSPECT_USAGE, inspectCommand, parseNow } from "./inspect-command.js";
export {
  buildInspectReport,
  type InspectReport,
  type ReportInactiveMember,
  type ReportMember,
  type ReportSlot,
} from "./inspect-report.js";
export { latestOriginServerTs, type RoomDump, readRoomDump } from "./room-dump.js";
export { run, USAGE } from "./run.js";
