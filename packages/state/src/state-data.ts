/**
 * The internal shape of a {@link RoomRtcState}. Every field is immutable; updates build new
 * objects that share unchanged parts (persistent maps, cons lists). Only the `memo` boxes are
 * mutable, and they only cache values derived from the immutable fields.
 */
import type { DiagnosticLog } from "./diagnostic-log.js";
import type { PersistentMap } from "./persistent-map.js";
import { hashString } from "./persistent-map.js";
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
  /** `hashString(key)`, computed once. */
  readonly keyHash: number;
  readonly status: EntryStatus;
  readonly sender: string;
  /** `hashString(sender)` (the membership's user id), computed once per sender. */
  readonly senderHash: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly originServerTs: number;
  /** Recent event ids written to this key (bounded), to ignore repeats. */
  readonly recentEventIds: RecentIds;
  /** Sticky only: the MSC4354 conflict rank `origin_server_ts + duration_ms`. */
  readonly stickyRank: number | undefined;
  /** Present when status is `join`. */
  readonly membership: RtcMembership | undefined;
  /** Present while the membership counts (joined, sender in room, slot open, not expired when last checked). */
  readonly stint: OpenStint | undefined;
}

/** Build an entry with a fixed field order (one hidden class for every entry). */
export function makeEntry(
  key: string,
  keyHash: number,
  senderHash: number,
  status: EntryStatus,
  envelope: {
    readonly sender: string;
    readonly eventId: string;
    readonly type: string;
    readonly originServerTs: number;
  },
  recentEventIds: RecentIds,
  stickyRank: number | undefined,
  membership: RtcMembership | undefined,
): MembershipEntry {
  return {
    key,
    keyHash,
    status,
    sender: envelope.sender,
    senderHash,
    eventId: envelope.eventId,
    eventType: envelope.type,
    originServerTs: envelope.originServerTs,
    recentEventIds,
    stickyRank,
    membership,
    stint: undefined,
  };
}

/** The hash of `sender` for a new entry replacing `previous` (reused when the sender is the same). */
export function senderHashFor(previous: MembershipEntry | undefined, sender: string): number {
  return previous !== undefined && previous.sender === sender
    ? previous.senderHash
    : hashString(sender);
}

/** Sets the participation of an entry that is not shared yet (just built by {@link makeEntry}). */
export function setStint(entry: MembershipEntry, stint: OpenStint | undefined): MembershipEntry {
  (entry as { stint: OpenStint | undefined }).stint = stint;
  return entry;
}

/** A copy of `entry` with another participation. */
export function withStint(entry: MembershipEntry, stint: OpenStint | undefined): MembershipEntry {
  if (entry.stint === stint) return entry;
  return {
    key: entry.key,
    keyHash: entry.keyHash,
    status: entry.status,
    sender: entry.sender,
    senderHash: entry.senderHash,
    eventId: entry.eventId,
    eventType: entry.eventType,
    originServerTs: entry.originServerTs,
    recentEventIds: entry.recentEventIds,
    stickyRank: entry.stickyRank,
    membership: entry.membership,
    stint,
  };
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
  readonly recentEventIds: RecentIds;
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

/** One membership key that changed, and its membership when the base answer was computed. */
export interface SlotChange {
  readonly key: string;
  /** `hashString(key)`. */
  readonly keyHash: number;
  /** The membership the key held before this change (may be in the base answer). */
  readonly old: RtcMembership | undefined;
}

/** How to build a slot's memo from an older slot record's memo. */
export interface SlotDerivation {
  readonly from: SlotRecord;
  readonly changes: readonly SlotChange[];
}

/** Everything about one slot id. */
export interface SlotRecord {
  readonly slotId: string;
  readonly stableSlot: SlotStateRecord | undefined;
  readonly unstableSlot: SlotStateRecord | undefined;
  /**
   * Keys of the join entries currently in this slot (the entries themselves live in
   * `StateData.entries`; a refresh that stays in the slot does not touch this map).
   */
  readonly members: PersistentMap<string>;
  readonly closedStints: StintList | undefined;
  readonly memo: SlotMemo;
}

/** A user's `m.room.member` state. */
export interface RoomMemberRecord {
  readonly membership: string;
  readonly eventId: string;
  readonly recentEventIds: RecentIds;
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
export const RECENT_EVENT_IDS = 8;

/**
 * The event ids recently written to one key, newest first, as one flat array
 * `[hash, id, hash, id, …]`: a lookup compares small-integer hashes held inline in one array and
 * only reads an id string on a hash match, so it touches one cache line instead of a chain.
 */
export type RecentIds = readonly (number | string)[];

/** 30-bit FNV-1a of an event id (fits a V8 small integer). */
export function idHash(eventId: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < eventId.length; index++) {
    hash ^= eventId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 2;
}

/** Whether `eventId` was recently written to the key. */
export function hasEventId(
  recent: RecentIds | undefined,
  eventId: string,
  hash: number = idHash(eventId),
): boolean {
  if (recent === undefined) return false;
  for (let index = 0; index < recent.length; index += 2) {
    if (recent[index] === hash && recent[index + 1] === eventId) return true;
  }
  return false;
}

/** Remember `eventId` (newest first), keeping the last {@link RECENT_EVENT_IDS} ids. */
export function rememberEventId(
  recent: RecentIds | undefined,
  eventId: string,
  hash: number = idHash(eventId),
): RecentIds {
  const kept = recent === undefined ? 0 : Math.min(recent.length, 2 * (RECENT_EVENT_IDS - 1));
  const next = new Array<number | string>(kept + 2);
  next[0] = hash;
  next[1] = eventId;
  for (let index = 0; index < kept; index++)
    next[index + 2] = (recent as RecentIds)[index] as number | string;
  return next;
}
