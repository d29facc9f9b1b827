/** Slot records and their cached, incrementally maintained candidate lists. Internal. */
import { PersistentMap } from "./persistent-map.js";
import type { RtcMembership } from "./rtc-membership.js";
import type { MembershipEntry, SlotChange, SlotRecord, StateData } from "./state-data.js";

/** Past this many pending changed keys a slot's cache is rebuilt from scratch instead. */
const MAX_PENDING_KEYS = 16;

/** A new, empty slot record. */
export function emptySlot(slotId: string): SlotRecord {
  return {
    slotId,
    stableSlot: undefined,
    unstableSlot: undefined,
    members: PersistentMap.empty(),
    closedStints: undefined,
    memo: { sorted: [], minExpiresTs: Number.POSITIVE_INFINITY },
  };
}

/** Whether the slot's `m.rtc.slot` (stable or unstable) is open. */
export function isSlotOpen(slot: SlotRecord | undefined): boolean {
  return slot?.stableSlot?.open === true || slot?.unstableSlot?.open === true;
}

/** Whether the slot has an `m.rtc.slot` event (stable or unstable) and none of them is open. */
export function isSlotClosed(slot: SlotRecord | undefined): boolean {
  const exists = slot?.stableSlot !== undefined || slot?.unstableSlot !== undefined;
  return exists && !isSlotOpen(slot);
}

/**
 * Whether the slot's state lets a membership of `dialect` count: MSC4143-draft memberships need an
 * open slot; matrix-js-sdk sticky memberships are hidden only while a slot event exists and is not
 * open (what matrix-js-sdk 43 does); legacy state memberships are never gated.
 */
export function slotAdmits(
  slot: SlotRecord | undefined,
  dialect: RtcMembership["dialect"],
): boolean {
  if (dialect === "msc4143") return isSlotOpen(slot);
  if (dialect === "sticky") return !isSlotClosed(slot);
  return true;
}

/** Changes to a slot record. */
export interface SlotChanges {
  readonly members?: SlotRecord["members"];
  readonly stableSlot?: SlotRecord["stableSlot"];
  readonly unstableSlot?: SlotRecord["unstableSlot"];
}

/**
 * A copy of `slot` with `changes` applied whose cache can be derived from `slot`'s cache by
 * re-checking only the changed key. Pass `change: undefined` to force a full rebuild.
 */
export function touchSlot(
  slot: SlotRecord,
  changes: SlotChanges,
  change: SlotChange | undefined,
): SlotRecord {
  let memo: SlotRecord["memo"] = {};
  if (change !== undefined) {
    const pending = slot.memo.derivation;
    if (slot.memo.sorted !== undefined) {
      memo = { derivation: { from: slot, changes: [change] } };
    } else if (pending !== undefined && pending.changes.length < MAX_PENDING_KEYS) {
      memo = { derivation: { from: pending.from, changes: [...pending.changes, change] } };
    }
  }
  return {
    slotId: slot.slotId,
    stableSlot: "stableSlot" in changes ? changes.stableSlot : slot.stableSlot,
    unstableSlot: "unstableSlot" in changes ? changes.unstableSlot : slot.unstableSlot,
    members: changes.members ?? slot.members,
    closedStints: slot.closedStints,
    memo,
  };
}

/** A copy of `slot` with another closed-participation list (the candidate cache stays valid). */
export function withClosedStint(
  slot: SlotRecord,
  closedStints: SlotRecord["closedStints"],
): SlotRecord {
  return {
    slotId: slot.slotId,
    stableSlot: slot.stableSlot,
    unstableSlot: slot.unstableSlot,
    members: slot.members,
    closedStints,
    memo: slot.memo,
  };
}

/** The join entries of a slot. */
export function* slotEntries(
  state: StateData,
  slot: SlotRecord,
): IterableIterator<MembershipEntry> {
  for (const key of slot.members.keys()) {
    const entry = state.entries.get(key);
    if (entry !== undefined) yield entry;
  }
}

/** Whether an entry counts, apart from expiry. */
export function isCandidate(state: StateData, slot: SlotRecord, entry: MembershipEntry): boolean {
  const membership = entry.membership;
  if (entry.status !== "join" || membership === undefined) return false;
  if (state.roomMembers.get(membership.userId, entry.senderHash)?.membership !== "join")
    return false;
  return slotAdmits(slot, membership.dialect);
}

/** Oldest first: by `createdTs`, then by membership key. */
export function compareMemberships(a: RtcMembership, b: RtcMembership): number {
  if (a.createdTs !== b.createdTs) return a.createdTs - b.createdTs;
  return a.membershipKey < b.membershipKey ? -1 : a.membershipKey > b.membershipKey ? 1 : 0;
}

function lowerBound(sorted: readonly RtcMembership[], membership: RtcMembership): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareMemberships(sorted[middle] as RtcMembership, membership) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function expiryOf(membership: RtcMembership): number {
  return membership.expiresTs ?? Number.POSITIVE_INFINITY;
}

function minimumExpiry(sorted: readonly RtcMembership[]): number {
  let minimum = Number.POSITIVE_INFINITY;
  for (const membership of sorted) minimum = Math.min(minimum, expiryOf(membership));
  return minimum;
}

/** The slot's candidates, oldest first, computed incrementally when possible and cached. */
export function sortedCandidates(state: StateData, slot: SlotRecord): readonly RtcMembership[] {
  const memo = slot.memo;
  if (memo.sorted !== undefined) return memo.sorted;
  const derivation = memo.derivation;
  const base = derivation?.from.memo.sorted;
  let sorted: RtcMembership[];
  let minExpiresTs: number;
  if (derivation !== undefined && base !== undefined) {
    sorted = base.slice();
    minExpiresTs = derivation.from.memo.minExpiresTs ?? minimumExpiry(sorted);
    let rescan = false;
    const changes = derivation.changes;
    const done = changes.length > 1 ? new Set<string>() : undefined;
    for (const change of changes) {
      // Remove whatever each change replaced (only the one in the base answer is found) …
      if (change.old !== undefined) {
        const index = lowerBound(sorted, change.old);
        if (sorted[index] === change.old) {
          sorted.splice(index, 1);
          if (expiryOf(change.old) <= minExpiresTs) rescan = true;
        }
      }
    }
    for (const change of changes) {
      // … then insert each changed key's current membership once.
      if (done !== undefined) {
        if (done.has(change.key)) continue;
        done.add(change.key);
      }
      const entry = slot.members.has(change.key, change.keyHash)
        ? state.entries.get(change.key, change.keyHash)
        : undefined;
      if (entry?.membership !== undefined && isCandidate(state, slot, entry)) {
        sorted.splice(lowerBound(sorted, entry.membership), 0, entry.membership);
        minExpiresTs = Math.min(minExpiresTs, expiryOf(entry.membership));
      }
    }
    if (rescan) minExpiresTs = minimumExpiry(sorted);
  } else {
    sorted = [];
    for (const entry of slotEntries(state, slot)) {
      if (entry.membership !== undefined && isCandidate(state, slot, entry))
        sorted.push(entry.membership);
    }
    sorted.sort(compareMemberships);
    minExpiresTs = minimumExpiry(sorted);
  }
  memo.sorted = sorted;
  memo.minExpiresTs = minExpiresTs;
  memo.derivation = undefined;
  return sorted;
}

/** The slot's candidates that have not expired at `now`, cached for the range of `now` that gives the same answer. */
export function activeCandidates(
  state: StateData,
  slot: SlotRecord,
  now: number,
): readonly RtcMembership[] {
  const sorted = sortedCandidates(state, slot);
  const memo = slot.memo;
  if (now < (memo.minExpiresTs ?? Number.POSITIVE_INFINITY)) return sorted;
  const cached = memo.active;
  if (cached !== undefined && cached.fromTs <= now && now < cached.untilTs) return cached.list;
  let fromTs = Number.NEGATIVE_INFINITY;
  let untilTs = Number.POSITIVE_INFINITY;
  const list: RtcMembership[] = [];
  for (const membership of sorted) {
    const expiresTs = expiryOf(membership);
    if (expiresTs <= now) fromTs = Math.max(fromTs, expiresTs);
    else {
      untilTs = Math.min(untilTs, expiresTs);
      list.push(membership);
    }
  }
  memo.active = { fromTs, untilTs, list };
  return list;
}
