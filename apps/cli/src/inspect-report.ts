import {
  applyEvents,
  createRoomRtcState,
  type InactiveReason,
  type RtcDiagnostic,
  type RtcSessionRecord,
  selectDiagnostics,
  selectDroppedDiagnosticCount,
  selectInactiveMemberships,
  selectMemberTransports,
  selectSessions,
  selectSlotIds,
  selectTransport,
} from "@mxrtc/state";
import type { RtcTransport } from "@mxrtc/types";
import type { RoomDump } from "./room-dump.js";

/** One member as shown by `mxrtc inspect`. */
export interface ReportMember {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly dialect: string;
  readonly eventId: string;
  readonly createdTs: number;
  readonly expiresTs?: number;
  readonly focusSelection?: string;
  /** Where this member publishes (js-sdk rules). */
  readonly transport?: RtcTransport;
  /** Everything the member offered. */
  readonly transports: readonly RtcTransport[];
}

/** A membership held in the room that does not count now. */
export interface ReportInactiveMember {
  readonly userId: string;
  readonly deviceId: string;
  readonly dialect: string;
  readonly eventId: string;
  readonly reason: InactiveReason;
  readonly expiresTs?: number;
}

/** Everything about one slot. */
export interface ReportSlot {
  readonly slotId: string;
  /** The shared transport, when every member connects to one. */
  readonly sharedTransport?: RtcTransport;
  readonly members: readonly ReportMember[];
  readonly inactive: readonly ReportInactiveMember[];
  readonly currentSession?: RtcSessionRecord;
  readonly pastSessions: readonly RtcSessionRecord[];
}

/** The full `mxrtc inspect` result (also the `--json` output). */
export interface InspectReport {
  readonly roomId: string | undefined;
  readonly input: RoomDump["shape"];
  readonly eventCount: number;
  readonly now: number;
  readonly nowSource: "argument" | "latest-event" | "none" | "clock";
  readonly slots: readonly ReportSlot[];
  readonly diagnostics: readonly RtcDiagnostic[];
  readonly droppedDiagnostics: number;
}

/**
 * Apply a room dump to a fresh state and collect what `mxrtc inspect` shows.
 *
 * @example
 * ```ts
 * const report = buildInspectReport(readRoomDump(json), { now: Date.now(), nowSource: "argument" });
 * ```
 */
export function buildInspectReport(
  dump: RoomDump,
  options: {
    readonly now: number;
    readonly nowSource: InspectReport["nowSource"];
    readonly slotId?: string;
    /** When the events were received (live rooms): MSC4354 sticky `ttl`s count from here. */
    readonly receivedTs?: number;
  },
): InspectReport {
  const state = applyEvents(
    createRoomRtcState({ roomId: dump.roomId ?? "" }),
    dump.events,
    options.receivedTs === undefined ? {} : { receivedTs: options.receivedTs },
  );
  const now = options.now;
  const slotIds = options.slotId === undefined ? selectSlotIds(state) : [options.slotId];
  const slots = slotIds.map((slotId): ReportSlot => {
    const members = selectMemberTransports(state, { slotId, now }).map(
      ({ membership, transport }): ReportMember => ({
        userId: membership.userId,
        deviceId: membership.deviceId,
        memberId: membership.memberId,
        dialect: membership.dialect,
        eventId: membership.eventId,
        createdTs: membership.createdTs,
        ...(membership.expiresTs === undefined ? {} : { expiresTs: membership.expiresTs }),
        ...(membership.focusSelection === undefined
          ? {}
          : { focusSelection: membership.focusSelection }),
        ...(transport === undefined ? {} : { transport }),
        transports: membership.transports,
      }),
    );
    const inactive = selectInactiveMemberships(state, { slotId, now }).map(
      ({ membership, reason }) => ({
        userId: membership.userId,
        deviceId: membership.deviceId,
        dialect: membership.dialect,
        eventId: membership.eventId,
        reason,
        ...(membership.expiresTs === undefined ? {} : { expiresTs: membership.expiresTs }),
      }),
    );
    const sessions = selectSessions(state, { slotId, now });
    const current = sessions.find((session) => session.active);
    const shared = selectTransport(state, { slotId, now });
    return {
      slotId,
      ...(shared === undefined ? {} : { sharedTransport: shared }),
      members,
      inactive,
      ...(current === undefined ? {} : { currentSession: current }),
      pastSessions: sessions.filter((session) => !session.active),
    };
  });
  return {
    roomId: dump.roomId,
    input: dump.shape,
    eventCount: dump.events.length,
    now,
    nowSource: options.nowSource,
    slots,
    diagnostics: selectDiagnostics(state),
    droppedDiagnostics: selectDroppedDiagnosticCount(state),
  };
}
