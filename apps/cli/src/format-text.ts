import type { RtcSessionRecord } from "@mxrtc/state";
import type { RtcTransport } from "@mxrtc/types";
import { formatDuration, formatTs } from "./format-time.js";
import type { InspectReport, ReportSlot } from "./inspect-report.js";

function describeTransport(transport: RtcTransport | undefined): string {
  if (transport === undefined) return "no transport";
  const url = transport.livekit_service_url ?? transport.signalling_url;
  return typeof url === "string" ? `${transport.type} ${url}` : transport.type;
}

function people(count: number): string {
  return `${count} ${count === 1 ? "person" : "people"}`;
}

function describeSession(session: RtcSessionRecord): string {
  const end = session.endTs === undefined ? "now" : formatTs(session.endTs);
  return `${formatTs(session.startTs)} → ${end} (${formatDuration(session.durationMs)}), ${people(session.distinctUsers)}, peak ${session.peakParticipants} at once`;
}

function participantLines(session: RtcSessionRecord): string[] {
  return session.participants.map(
    (participant) =>
      `      ${participant.userId} ${participant.deviceId || "-"}  ${formatTs(participant.joinTs)} → ${participant.leaveTs === undefined ? "now" : formatTs(participant.leaveTs)} (${participant.leaveReason ?? "still in"})`,
  );
}

function slotLines(slot: ReportSlot): string[] {
  const lines = [`Slot ${slot.slotId}`];
  const current = slot.currentSession;
  lines.push(
    current === undefined ? "  No call now." : `  Call in progress: ${describeSession(current)}`,
  );
  if (current !== undefined) lines.push(...participantLines(current));
  if (slot.members.length > 0) {
    lines.push(
      slot.sharedTransport === undefined
        ? "  Transport: none shared; each member publishes on its own (multi-SFU)"
        : `  Transport: ${describeTransport(slot.sharedTransport)} (shared, oldest membership)`,
    );
    lines.push(`  Members (${slot.members.length}, oldest first):`);
    for (const member of slot.members) {
      const expiry =
        member.expiresTs === undefined ? "" : `, expires ${formatTs(member.expiresTs)}`;
      lines.push(
        `    ${member.userId}  device ${member.deviceId || "-"}  ${member.dialect}${member.focusSelection ? `/${member.focusSelection}` : ""}  → ${describeTransport(member.transport)}  (since ${formatTs(member.createdTs)}${expiry})`,
      );
    }
  }
  if (slot.inactive.length > 0) {
    lines.push(`  Not counted (${slot.inactive.length}):`);
    for (const member of slot.inactive) {
      const when =
        member.reason === "expired" && member.expiresTs !== undefined
          ? ` at ${formatTs(member.expiresTs)}`
          : "";
      lines.push(
        `    ${member.userId}  device ${member.deviceId || "-"}  ${member.dialect}  ${member.reason}${when}  ${member.eventId}`,
      );
    }
  }
  if (slot.pastSessions.length > 0) {
    lines.push(`  Past sessions (${slot.pastSessions.length}):`);
    for (const session of slot.pastSessions) {
      lines.push(`    ${describeSession(session)}`, ...participantLines(session));
    }
  }
  return lines;
}

/**
 * The human-readable `mxrtc inspect` output.
 *
 * @example
 * ```ts
 * io.stdout(formatInspectText(report));
 * ```
 */
export function formatInspectText(report: InspectReport): string {
  const nowNote =
    report.nowSource === "latest-event"
      ? " (latest origin_server_ts in the dump; override with --now)"
      : report.nowSource === "none"
        ? " (no timestamps in the dump)"
        : report.nowSource === "clock"
          ? " (live: this machine's clock)"
          : "";
  const lines = [
    `Room ${report.roomId ?? "(unknown room id)"}: ${report.eventCount} events (${report.input})`,
    `Now: ${formatTs(report.now)}${nowNote}`,
    "",
  ];
  if (report.slots.length === 0) lines.push("No MatrixRTC memberships or slots in this room.", "");
  for (const slot of report.slots) lines.push(...slotLines(slot), "");
  const dropped =
    report.droppedDiagnostics > 0 ? ` (+${report.droppedDiagnostics} older not kept)` : "";
  lines.push(`Rejected or ignored events (${report.diagnostics.length})${dropped}:`);
  if (report.diagnostics.length === 0) lines.push("  none");
  for (const diagnostic of report.diagnostics) {
    const where = diagnostic.path === undefined ? "" : ` at ${diagnostic.path}`;
    lines.push(
      `  ${diagnostic.eventId ?? "(no event id)"}  ${diagnostic.code}${diagnostic.applied ? " (applied)" : ""}  from ${diagnostic.sender ?? "?"}${where}: ${diagnostic.message}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
