import { cachedHash } from "./persistent-map.js";
import { type RoomRtcState, stateData } from "./room-rtc-state.js";
import type { RtcMembership } from "./rtc-membership.js";
import { checkSlotOptions, type SlotSelectOptions } from "./select-options.js";
import { activeCandidates, isCandidate, slotAdmits, slotEntries } from "./slot-record.js";

const NONE: readonly RtcMembership[] = Object.freeze([]);

/**
 * The memberships that count in a slot at `now`, oldest first (by `createdTs`, then membership key).
 *
 * @remarks A membership counts when: its latest event is a valid join; it is authentic (legacy
 * state key or sticky `member.user_id` names the sender); the sender is joined to the room; it
 * has not expired at `now` (legacy `createdTs + (expires ?? 4 h)`, sticky MSC4354 stickiness);
 * its slot id (application AND id) equals `slotId`; and, for the MSC4143 draft dialect only, an
 * `m.rtc.slot` (or unstable) for that slot is open. The answer is cached per state and slot and
 * maintained incrementally from the previous state's answer, so calling it after every event is
 * cheap. The returned array is shared: do not mutate it.
 * @example
 * ```ts
 * const members = selectMemberships(state, { slotId: "m.call#ROOM", now: Date.now() });
 * console.log(members.map((member) => `${member.userId}/${member.deviceId}`));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function selectMemberships(
  state: RoomRtcState,
  options: SlotSelectOptions,
): readonly RtcMembership[] {
  checkSlotOptions(options);
  const data = stateData(state);
  const slot = data.slots.get(options.slotId, cachedHash(options.slotId));
  if (slot === undefined) return NONE;
  return activeCandidates(data, slot, options.now);
}

/** Why a known join membership does not count right now. */
export type InactiveReason = "expired" | "sender-not-joined" | "slot-closed";

/** A join membership that is held in the room but does not count, with the reason. */
export interface InactiveMembership {
  readonly membership: RtcMembership;
  readonly reason: InactiveReason;
}

/**
 * Join memberships held in the room that do not count at `now`: expired, sender not joined to
 * the room, or (MSC4143 draft only) slot not open. Left and rejected memberships are not listed
 * (see {@link selectSessions} and {@link selectDiagnostics}).
 *
 * @remarks Scans the slot (or every slot when `slotId` is omitted); meant for tools and
 * debugging, not for every event.
 * @example
 * ```ts
 * for (const { membership, reason } of selectInactiveMemberships(state, { now: Date.now() })) {
 *   console.log(membership.userId, reason);
 * }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function selectInactiveMemberships(
  state: RoomRtcState,
  options: { readonly slotId?: string; readonly now: number },
): readonly InactiveMembership[] {
  checkSlotOptions({ slotId: options?.slotId ?? "", now: options?.now });
  const data = stateData(state);
  const slots =
    options.slotId === undefined ? [...data.slots.values()] : [data.slots.get(options.slotId)];
  const result: InactiveMembership[] = [];
  for (const slot of slots) {
    if (slot === undefined) continue;
    for (const entry of slotEntries(data, slot)) {
      const membership = entry.membership;
      if (membership === undefined) continue;
      if (!isCandidate(data, slot, entry)) {
        const joined = data.roomMembers.get(membership.userId)?.membership === "join";
        result.push({
          membership,
          reason:
            joined && !slotAdmits(slot, membership.dialect) ? "slot-closed" : "sender-not-joined",
        });
      } else if (membership.expiresTs !== undefined && membership.expiresTs <= options.now) {
        result.push({ membership, reason: "expired" });
      }
    }
  }
  return result.sort((a, b) => a.membership.createdTs - b.membership.createdTs);
}
