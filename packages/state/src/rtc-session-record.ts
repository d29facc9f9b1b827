import type { MembershipDialect } from "@mxrtc/types";

/**
 * One participation of a membership in a session: from when it counted until it stopped counting.
 *
 * @example
 * ```ts
 * const minutes = ((participant.leaveTs ?? now) - participant.joinTs) / 60_000;
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcSessionParticipant {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly dialect: MembershipDialect;
  readonly membershipKey: string;
  readonly joinTs: number;
  /** Absent while the participation is still going on. */
  readonly leaveTs?: number;
  /** How it ended: an explicit leave/invalid update, expiry, leaving the room, or the slot closing. */
  readonly leaveReason?: "left" | "expired" | "left-room" | "slot-closed" | "replaced";
}

/**
 * A session of a slot: a maximal period with at least one joined member (MSC4143 has no session
 * event, so sessions are derived from the membership history fed to the reducer).
 *
 * @remarks `endTs` is absent for a session still going on at `now`. Sessions that ended by expiry
 * end at the expiry time. `peakParticipants` counts concurrent memberships (devices);
 * `distinctUsers` counts people.
 * @example
 * ```ts
 * const [last] = selectSessions(state, { slotId: "m.call#ROOM" }).slice(-1);
 * if (last?.endTs !== undefined) console.log(`call ended, ${Math.round(last.durationMs / 60_000)} min, ${last.distinctUsers} people`);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcSessionRecord {
  readonly slotId: string;
  readonly startTs: number;
  readonly endTs?: number;
  /** `(endTs ?? now) - startTs`. */
  readonly durationMs: number;
  readonly active: boolean;
  readonly peakParticipants: number;
  readonly distinctUsers: number;
  readonly participants: readonly RtcSessionParticipant[];
}
