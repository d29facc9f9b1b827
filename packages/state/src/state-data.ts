/**
 * The internal shape of a {@link RoomRtcState}. Every field is immutable; updates build new
 * objects that share unchanged parts (persistent maps, cons lists). Only the `memo` boxes are
 * mutable, and they only cache values derived from the immutable fields.
 */
import type { DiagnosticLog } from "./diagnostic-log.js";
import type { PersistentMap } from "./persistent-map.js";
import type { RtcMembership } from "./rtc-membership.js";
import type { RtcSessionParticipant } from "./rtc-session-record.js";

/** What the state of one (type, state_key) or sticky key holds. */
export type EntryStatus = "join" | "leave" | "rejected";

/** An open participation: the membership counts since `startTs`. */
export interface OpenStint {
  readonly startTs: number;
}

/** The latest event for one membership key, whatever it said. */
export interface MembershipEntry {
  readonly key: string;
  readonly status: EntryStatus;
  readonly sender: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly originServerTs: number;
  /** Recent event ids written to this key (bounded), to ignore repeats. */
  readonly recentEventIds: readonly string[];
  /** Sticky only: the MSC4354 conflict rank `origin_server_ts + duration_ms`. */
  readonly stickyRank?: number;
  /** Present when status is `join`. */
  readonly membership?: RtcMembership;
  /** Present while the membership counts (joined, sender in room, slot open, not expired when last checked). */
  readonly stint?: OpenStint;
}

/** A finished participation, kept for session history. */
export interface ClosedStint extends RtcSessionParticipant {
  readonly slotId: string;
  readonly leaveTs: number;
}

/** Persistent cons list of closed stints (newest first). */
export interface StintList {
  readonly head: ClosedStint;
  readonly tail: StintList | undefined;
}

/** One `m.rtc.slot` state event as last seen. */
export interface SlotStateRecord {
  readonly open: boolean;
  readonly eventId: string;
  readonly recentEventIds: readonly string[];
}

/** A mutable cache attached to one immutable {@link SlotRecord}. */
export interface SlotMemo {
  /** Candidates (joined, in room, slot open where needed), oldest first, not yet filtered by expiry. */
  sorted?: readonly RtcMembership[];
  /** Smallest `expiresTs` among `sorted`. */
  minExpiresTs?: number;
  /** The last expiry-filtered answer and the range of `now` it holds for: `[fromTs, untilTs)`. */
  active?: {
    readonly fromTs: number;
    readonly untilTs: number;
    readonly list: readonly RtcMembership[];
  };
  /** Set until `sorted` is computed: how to derive it from an older record's cache. */
  derivation?: SlotDerivation | undefined;
}

/** How to build a slot's memo from an older slot record's memo. */
export interface SlotDerivation {
  readonly from: SlotRecord;
  readonly changedKeys: readonly string[];
}

/** Everything about one slot id. */
export interface SlotRecord {
  readonly slotId: string;
  readonly stableSlot?: SlotStateRecord;
  readonly unstableSlot?: SlotStateRecord;
  /** Join entries currently in this slot, by membership key. */
  readonly members: PersistentMap<MembershipEntry>;
  readonly closedStints: StintList | undefined;
  readonly memo: SlotMemo;
}

/** A user's `m.room.member` state. */
export interface RoomMemberRecord {
  readonly membership: string;
  readonly eventId: string;
  readonly recentEventIds: readonly string[];
}

/** The full internal state. */
export interface StateData {
  readonly roomId: string;
  readonly latestTs: number | undefined;
  readonly maxDiagnostics: number;
  readonly roomMembers: PersistentMap<RoomMemberRecord>;
  readonly entries: PersistentMap<MembershipEntry>;
  /** user id → membership keys with a join entry, for room membership changes. */
  readonly userKeys: PersistentMap<readonly string[]>;
  readonly slots: PersistentMap<SlotRecord>;
  readonly diagnostics: DiagnosticLog;
}

/** How many recent event ids each key remembers to ignore repeats. */
export const RECENT_EVENT_IDS = 16;

/** Append an event id to a bounded recent list. */
export function rememberEventId(recent: readonly string[], eventId: string): readonly string[] {
  const next =
    recent.length >= RECENT_EVENT_IDS
      ? recent.slice(recent.length - RECENT_EVENT_IDS + 1)
      : recent.slice();
  next.push(eventId);
  return next;
}
