import { type RoomRtcState, stateData } from "./room-rtc-state.js";

/**
 * Every slot id the room's events mentioned (memberships, past sessions or `m.rtc.slot`), sorted.
 *
 * @remarks Useful for tools that show every call in a room; a client usually knows its slot.
 * @example
 * ```ts
 * for (const slotId of selectSlotIds(state)) console.log(slotId, selectMemberships(state, { slotId, now }).length);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function selectSlotIds(state: RoomRtcState): readonly string[] {
  return [...stateData(state).slots.values()].map((slot) => slot.slotId).sort();
}
