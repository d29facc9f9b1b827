import { type RoomRtcState, stateData } from "./room-rtc-state.js";
import type { RtcSessionParticipant, RtcSessionRecord } from "./rtc-session-record.js";
import { RtcStateError } from "./rtc-state-error.js";
import { slotEntries } from "./slot-record.js";
import type { SlotRecord, StateData, StintList } from "./state-data.js";

/** Options of {@link selectSessions}. */
export interface SelectSessionsOptions {
  /** Only this slot. Default: every slot, sessions ordered by start. */
  readonly slotId?: string;
  /**
   * The current time in ms. Participations whose membership expired at or before `now` end at
   * their expiry time. Default: the state's `latestTs` (the highest `origin_server_ts` applied).
   */
  readonly now?: number;
}

const cache = new WeakMap<
  SlotRecord,
  { readonly now: number; readonly sessions: readonly RtcSessionRecord[] }
>();

function participantsOf(data: StateData, slot: SlotRecord, now: number): RtcSessionParticipant[] {
  const participants: RtcSessionParticipant[] = [];
  for (let node: StintList | undefined = slot.closedStints; node !== undefined; node = node.tail) {
    const { slotId: _slotId, ...participant } = node.head;
    if (participant.leaveTs > participant.joinTs) participants.push(participant);
  }
  for (const entry of slotEntries(data, slot)) {
    const membership = entry.membership;
    if (entry.stint === undefined || membership === undefined) continue;
    const base = {
      userId: membership.userId,
      deviceId: membership.deviceId,
      memberId: membership.memberId,
      dialect: membership.dialect,
      membershipKey: membership.membershipKey,
      joinTs: entry.stint.startTs,
    };
    const expiresTs = membership.expiresTs;
    if (expiresTs !== undefined && expiresTs <= now) {
      if (expiresTs > base.joinTs)
        participants.push({ ...base, leaveTs: expiresTs, leaveReason: "expired" });
    } else {
      participants.push(base);
    }
  }
  return participants.sort(
    (a, b) =>
      a.joinTs - b.joinTs ||
      (a.leaveTs ?? Number.POSITIVE_INFINITY) - (b.leaveTs ?? Number.POSITIVE_INFINITY) ||
      (a.membershipKey < b.membershipKey ? -1 : a.membershipKey > b.membershipKey ? 1 : 0),
  );
}

function buildSession(
  slotId: string,
  participants: RtcSessionParticipant[],
  now: number,
): RtcSessionRecord {
  const changes: [number, number][] = [];
  let endTs: number | undefined = Number.NEGATIVE_INFINITY;
  for (const participant of participants) {
    changes.push([participant.joinTs, 1]);
    if (participant.leaveTs === undefined) endTs = undefined;
    else {
      changes.push([participant.leaveTs, -1]);
      if (endTs !== undefined) endTs = Math.max(endTs, participant.leaveTs);
    }
  }
  // Leaves before joins at the same instant: a hand-over is not an extra participant.
  changes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of changes) {
    current += delta;
    peak = Math.max(peak, current);
  }
  const startTs = participants[0]?.joinTs ?? 0;
  const session: { -readonly [K in keyof RtcSessionRecord]: RtcSessionRecord[K] } = {
    slotId,
    startTs,
    durationMs: Math.max(0, (endTs ?? now) - startTs),
    active: endTs === undefined,
    peakParticipants: peak,
    distinctUsers: new Set(participants.map((participant) => participant.userId)).size,
    participants: Object.freeze(participants),
  };
  if (endTs !== undefined) session.endTs = endTs;
  return Object.freeze(session);
}

function slotSessions(data: StateData, slot: SlotRecord, now: number): readonly RtcSessionRecord[] {
  const cached = cache.get(slot);
  if (cached !== undefined && cached.now === now) return cached.sessions;
  const sessions: RtcSessionRecord[] = [];
  let group: RtcSessionParticipant[] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  for (const participant of participantsOf(data, slot, now)) {
    if (group.length > 0 && participant.joinTs > groupEnd) {
      sessions.push(buildSession(slot.slotId, group, now));
      group = [];
    }
    group.push(participant);
    groupEnd =
      group.length === 1
        ? (participant.leaveTs ?? Infinity)
        : Math.max(groupEnd, participant.leaveTs ?? Infinity);
  }
  if (group.length > 0) sessions.push(buildSession(slot.slotId, group, now));
  const frozen = Object.freeze(sessions);
  cache.set(slot, { now, sessions: frozen });
  return frozen;
}

/**
 * Current and past sessions, oldest first. A session is a maximal period in which at least one
 * membership of the slot counted (MSC4143 has no session event).
 *
 * @remarks Built from the history applied to the state: each participation starts when a
 * membership begins to count (its join event; for a membership first seen in a state snapshot,
 * its `createdTs`) and ends at a leave, an invalid or forged overwrite, the sender leaving the
 * room, its (MSC4143 draft) slot closing, or expiry. The reducer reads no clock, so expiry ends
 * are decided here: a participation whose membership expired at or before `now` ends at its
 * expiry time (default `now`: the state's `latestTs`). A participation that ends exactly when
 * another starts keeps the session going. Cached per state, slot and `now`.
 * @example
 * ```ts
 * const past = selectSessions(state, { slotId: "m.call#ROOM", now: Date.now() }).filter((s) => !s.active);
 * for (const s of past) console.log(`call ended, ${Math.round(s.durationMs / 60_000)} min, ${s.distinctUsers} people`);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function selectSessions(
  state: RoomRtcState,
  options: SelectSessionsOptions = {},
): readonly RtcSessionRecord[] {
  const data = stateData(state);
  const now = options.now ?? data.latestTs ?? Number.POSITIVE_INFINITY;
  if (typeof now !== "number" || Number.isNaN(now))
    throw new RtcStateError("invalid-options", "now must be a number");
  if (options.slotId !== undefined) {
    const slot = data.slots.get(options.slotId);
    return slot === undefined ? [] : slotSessions(data, slot, now);
  }
  const all: RtcSessionRecord[] = [];
  for (const slot of data.slots.values()) all.push(...slotSessions(data, slot, now));
  return all.sort((a, b) => a.startTs - b.startTs || (a.slotId < b.slotId ? -1 : 1));
}
