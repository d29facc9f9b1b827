import type { FocusSelection, MembershipDialect, RtcTransport } from "@mxrtc/types";

/**
 * One member of a MatrixRTC slot, normalised from any dialect.
 *
 * @remarks
 * - `userId` is the event sender (authenticity is checked before a membership is kept:
 *   the legacy state key, or the sticky `member.user_id`, must name the sender).
 * - `deviceId` is `""` when the dialect does not carry one (MSC4143 draft without `claimed_device_id`).
 * - `createdTs`: legacy `created_ts ?? origin_server_ts`; sticky/msc4143 the `origin_server_ts` of
 *   the first event of this member id, kept across refreshes so a refresh never looks like a rejoin.
 * - `expiresTs`: legacy `createdTs + (expires ?? 4 h)`; sticky/msc4143 the end of MSC4354 stickiness.
 * - `membershipKey` is the stable identity of the membership in the room: `state:<state_key>` or
 *   `sticky:<type>|<sender>|<sticky key>`.
 * Objects are frozen; treat them as immutable.
 * @example
 * ```ts
 * for (const member of selectMemberships(state, { slotId: "m.call#ROOM", now: Date.now() })) {
 *   console.log(member.userId, member.deviceId, member.transports[0]?.type);
 * }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcMembership {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly slotId: string;
  readonly application: { readonly type: string; readonly [key: string]: unknown };
  readonly transports: readonly RtcTransport[];
  readonly createdTs: number;
  readonly expiresTs?: number;
  readonly dialect: MembershipDialect;
  /** The event that last wrote this membership. */
  readonly eventId: string;
  /** `origin_server_ts` of that event. */
  readonly originServerTs: number;
  /** The Matrix event type it came in. */
  readonly eventType: string;
  /** Stable identity of this membership in the room (see remarks). */
  readonly membershipKey: string;
  /** Legacy only: `focus_active.focus_selection` (missing is read as `oldest_membership`). */
  readonly focusSelection?: FocusSelection;
  /** Transport types this member can subscribe to (`transports.can_subscribe`). */
  readonly canSubscribe?: readonly string[];
  /** `m.call.intent` (`audio`, `video`, …) when given. */
  readonly callIntent?: string;
}
