/**
 * A short-lived, mutable builder for one `applyEvent` call: it re-points fields at new persistent
 * maps and produces one new immutable state at the end. Internal.
 */
import type { DiagnosticLog } from "./diagnostic-log.js";
import { pushDiagnostic } from "./diagnostic-log.js";
import { cachedHash, hashString, type PersistentMap } from "./persistent-map.js";
import { makeState } from "./room-rtc-state.js";
import type { RtcDiagnostic } from "./rtc-diagnostic.js";
import type { RtcSessionParticipant } from "./rtc-session-record.js";
import { emptySlot, isSlotOpen, touchSlot, withClosedStint } from "./slot-record.js";
import type {
  ClosedStint,
  MembershipEntry,
  OpenStint,
  RoomMemberRecord,
  SlotRecord,
  StateData,
} from "./state-data.js";
import { setStint, withStint } from "./state-data.js";

/** Why a participation ended, when not by expiry. */
export type CloseReason = NonNullable<RtcSessionParticipant["leaveReason"]>;

/** How {@link StateDraft.writeEntry} treats the participation of the previous entry. */
export interface WriteOptions {
  /** Time of the change (ms). */
  readonly ts: number;
  /** Whether `next` continues the participation of `previous` (a refresh, or a re-check). */
  readonly continuation: boolean;
  /** Why the previous participation ends if it does (unless it already expired). */
  readonly closeReason: CloseReason;
  /** When a new participation starts (defaults to `ts`). */
  readonly startTs?: number;
}

/** Mutable builder over an immutable {@link StateData}. */
export class StateDraft {
  roomMembers: PersistentMap<RoomMemberRecord>;
  entries: PersistentMap<MembershipEntry>;
  userKeys: PersistentMap<readonly string[]>;
  slots: PersistentMap<SlotRecord>;
  diagnostics: DiagnosticLog;
  latestTs: number | undefined;
  private changed = false;

  constructor(private readonly base: StateData) {
    this.roomMembers = base.roomMembers;
    this.entries = base.entries;
    this.userKeys = base.userKeys;
    this.slots = base.slots;
    this.diagnostics = base.diagnostics;
    this.latestTs = base.latestTs;
  }

  /** Record a diagnostic. */
  diagnose(diagnostic: RtcDiagnostic): void {
    this.diagnostics = pushDiagnostic(this.diagnostics, diagnostic, this.base.maxDiagnostics);
    this.changed = true;
  }

  /** Note the time of an applied event. */
  observeTs(ts: number | undefined): void {
    if (ts !== undefined && (this.latestTs === undefined || ts > this.latestTs)) {
      this.latestTs = ts;
      this.changed = true;
    }
  }

  /** Mark that something changed (maps were replaced). */
  markChanged(): void {
    this.changed = true;
  }

  /** The slot record for `slotId` (a new empty one if unknown). */
  slot(slotId: string): SlotRecord {
    return this.slots.get(slotId, cachedHash(slotId)) ?? emptySlot(slotId);
  }

  /** Replace a slot record. */
  putSlot(slot: SlotRecord): void {
    this.slots = this.slots.set(slot.slotId, slot, cachedHash(slot.slotId));
    this.changed = true;
  }

  /** Whether `userId` is joined to the room right now (in this draft). */
  isJoined(userId: string, userHash: number = hashString(userId)): boolean {
    return this.roomMembers.get(userId, userHash)?.membership === "join";
  }

  /** Whether an entry counts at `ts` (join, sender joined, slot open where needed, not expired). */
  isLive(entry: MembershipEntry, ts: number): boolean {
    const membership = entry.membership;
    if (entry.status !== "join" || membership === undefined) return false;
    // The membership's user is the entry's sender.
    if (!this.isJoined(membership.userId, entry.senderHash)) return false;
    if (
      membership.dialect === "msc4143" &&
      !isSlotOpen(this.slots.get(membership.slotId, cachedHash(membership.slotId)))
    )
      return false;
    return membership.expiresTs === undefined || membership.expiresTs > ts;
  }

  /**
   * Write `next` as the entry for its key, replacing `previous`: ends or carries over the
   * previous participation, starts a new one when `next` counts, and keeps the slot indexes
   * and the per-user key index in step.
   */
  writeEntry(
    previous: MembershipEntry | undefined,
    next: MembershipEntry,
    options: WriteOptions,
  ): MembershipEntry {
    const key = next.key;
    const nextLive = this.isLive(next, options.ts);
    let stint: OpenStint | undefined;
    if (previous?.stint !== undefined && previous.membership !== undefined) {
      const expiresTs = previous.membership.expiresTs ?? Number.POSITIVE_INFINITY;
      const stillAlive = expiresTs > options.ts;
      if (options.continuation && stillAlive && nextLive) {
        stint = previous.stint;
      } else {
        const endTs = Math.max(previous.stint.startTs, Math.min(options.ts, expiresTs));
        this.closeStint(
          previous,
          previous.stint,
          endTs,
          stillAlive ? options.closeReason : "expired",
        );
      }
    }
    const startTs = options.startTs ?? options.ts;
    if (stint === undefined && nextLive) stint = { startTs };
    if (stint === undefined && !nextLive && this.expiredAfterStart(next, startTs, options.ts)) {
      // Learnt after the fact (e.g. from a room state snapshot): it counted from startTs until it expired.
      this.closeStint(next, { startTs }, next.membership?.expiresTs ?? startTs, "expired");
    }
    // A fresh entry (every caller but the re-checks, which pass the held entry as both) is not
    // shared yet, so its participation is set in place instead of copying it.
    const written = next === previous ? withStint(next, stint) : setStint(next, stint);
    this.entries = this.entries.set(key, written, written.keyHash);

    const previousSlotId = previous?.status === "join" ? previous.membership?.slotId : undefined;
    const nextSlotId = written.status === "join" ? written.membership?.slotId : undefined;
    const change = { key, keyHash: written.keyHash, old: previous?.membership };
    if (previousSlotId !== undefined && previousSlotId !== nextSlotId) {
      const slot = this.slot(previousSlotId);
      this.putSlot(touchSlot(slot, { members: slot.members.remove(key, written.keyHash) }, change));
    }
    if (nextSlotId !== undefined) {
      // A refresh that stays in the slot leaves the slot's key set alone; only its cache is touched.
      const slot = this.slot(nextSlotId);
      const members =
        previousSlotId === nextSlotId ? slot.members : slot.members.set(key, key, written.keyHash);
      this.putSlot(touchSlot(slot, { members }, change));
    }

    const previousUser = previous?.status === "join" ? previous.membership?.userId : undefined;
    const nextUser = written.status === "join" ? written.membership?.userId : undefined;
    if (previousUser !== undefined && previousUser !== nextUser) {
      const keys = (this.userKeys.get(previousUser) ?? []).filter((existing) => existing !== key);
      this.userKeys =
        keys.length === 0
          ? this.userKeys.remove(previousUser)
          : this.userKeys.set(previousUser, keys);
    }
    // A join replacing a join of the same user keeps the key in that user's list.
    if (nextUser !== undefined && nextUser !== previousUser) {
      const keys = this.userKeys.get(nextUser) ?? [];
      if (!keys.includes(key)) this.userKeys = this.userKeys.set(nextUser, [...keys, key]);
    }
    this.changed = true;
    return written;
  }

  /** Whether `entry` would count at `startTs` but has expired by `ts`. */
  private expiredAfterStart(entry: MembershipEntry, startTs: number, ts: number): boolean {
    const expiresTs = entry.membership?.expiresTs;
    if (expiresTs === undefined || expiresTs > ts || startTs >= expiresTs) return false;
    return this.isLive(entry, startTs);
  }

  /** Re-check every membership of `userId` after their room membership changed at `ts`. */
  recheckUser(userId: string, ts: number): void {
    for (const key of this.userKeys.get(userId) ?? []) {
      const entry = this.entries.get(key);
      if (entry?.membership === undefined) continue;
      const startTs = Math.max(ts, Math.min(entry.membership.createdTs, entry.originServerTs));
      this.writeEntry(entry, entry, { ts, continuation: true, closeReason: "left-room", startTs });
    }
  }

  /** Re-check every slot-gated (msc4143) membership of a slot after it opened or closed at `ts`. */
  recheckSlot(slotId: string, ts: number): void {
    const slot = this.slot(slotId);
    for (const key of [...slot.members.keys()]) {
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      if (entry.membership === undefined || entry.membership.dialect === "legacy") continue;
      const startTs = Math.max(ts, Math.min(entry.membership.createdTs, entry.originServerTs));
      this.writeEntry(entry, entry, {
        ts,
        continuation: true,
        closeReason: "slot-closed",
        startTs,
      });
    }
  }

  private closeStint(
    entry: MembershipEntry,
    stint: OpenStint,
    endTs: number,
    reason: CloseReason,
  ): void {
    const membership = entry.membership;
    if (membership === undefined) return;
    const closed: ClosedStint = Object.freeze({
      slotId: membership.slotId,
      userId: membership.userId,
      deviceId: membership.deviceId,
      memberId: membership.memberId,
      dialect: membership.dialect,
      membershipKey: membership.membershipKey,
      joinTs: stint.startTs,
      leaveTs: endTs,
      leaveReason: reason,
    });
    const slot = this.slot(membership.slotId);
    this.putSlot(withClosedStint(slot, { head: closed, tail: slot.closedStints }));
  }

  /** The new immutable state (or the base state when nothing changed). */
  finish(): StateData {
    if (!this.changed) return this.base;
    return makeState({
      roomId: this.base.roomId,
      maxDiagnostics: this.base.maxDiagnostics,
      latestTs: this.latestTs,
      roomMembers: this.roomMembers,
      entries: this.entries,
      userKeys: this.userKeys,
      slots: this.slots,
      diagnostics: this.diagnostics,
    });
  }
}
