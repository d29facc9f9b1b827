import type { RtcTransport } from "./transport.js";

/**
 * How members choose a transport in the legacy dialect (`focus_active.focus_selection`).
 *
 * @remarks `oldest_membership`: everyone uses the oldest member's first preferred focus.
 * `multi_sfu`: each member publishes on its own first preferred focus. Unknown values are kept.
 * @example
 * ```ts
 * const selection: FocusSelection = "multi_sfu";
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export type FocusSelection = "oldest_membership" | "multi_sfu" | (string & {});

/**
 * Which wire format a membership came in: `legacy` (G1 state events), `sticky` (matrix-js-sdk's
 * sticky events, G2) or `msc4143` (latest MSC4143 draft, G3).
 *
 * @example
 * ```ts
 * if (content.dialect === "legacy") scheduleExpiry(content.expiresMs);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export type MembershipDialect = "legacy" | "sticky" | "msc4143";

/**
 * An application description: `{ type, …application-specific }` (e.g. `{ type: "m.call", "m.call.intent": "audio" }`).
 *
 * @example
 * ```ts
 * const application: RtcApplication = { type: "m.call" };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4196
 */
export interface RtcApplication {
  readonly type: string;
  readonly [key: string]: unknown;
}

/**
 * Normalised content of one membership join event, whatever its dialect.
 *
 * @remarks Produced by {@link parseLegacyMembershipContent} and {@link parseRtcMemberContent}.
 * The content alone does not prove who sent it: compare `claimedUserId` and the legacy state key
 * with the event sender ({@link isAuthenticLegacyStateKey}).
 * - `slotId`: always `application#id`; legacy `m.call` + `call_id: ""` gives `m.call#ROOM`.
 * - `memberId`: legacy `membershipID ?? "${sender}:${device_id}"`; sticky/msc4143 `member.id`.
 * - `claimedUserId`: sticky `member.user_id` (or sticky-v1 `claimed_user_id`); absent otherwise.
 * - `deviceId`: legacy `device_id`; sticky `member.device_id`; msc4143 `member.claimed_device_id`.
 * - `transports`: legacy `foci_preferred`; sticky `transports.published ?? rtc_transports`; msc4143 `transports.published`.
 * - `focusSelection`/`focusActiveType`: legacy `focus_active` (aliases `selection`, `focus_select`
 *   accepted); `focusActiveType` is always set for legacy joins, whose `focus_active.type` is required.
 * - `createdTs`/`expiresMs`: legacy `created_ts`/`expires`.
 * - `callIntent`: legacy `m.call.intent`; sticky/msc4143 `application["m.call.intent"]`.
 * - `stickyKey`: `sticky_key ?? msc4354_sticky_key`.
 * @example
 * ```ts
 * const result = parseRtcMemberContent(event.content);
 * if (result.ok && result.value.kind === "join") console.log(result.value.memberId);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface MembershipJoinContent {
  readonly kind: "join";
  readonly dialect: MembershipDialect;
  readonly slotId: string;
  readonly application: RtcApplication;
  readonly memberId: string;
  readonly claimedUserId?: string;
  readonly deviceId?: string;
  readonly transports: readonly RtcTransport[];
  readonly canSubscribe?: readonly string[];
  readonly focusSelection?: FocusSelection;
  readonly focusActiveType?: string;
  readonly createdTs?: number;
  readonly expiresMs?: number;
  readonly callIntent?: string;
  readonly stickyKey?: string;
  /** sticky dialect: the `versions` array, when present. */
  readonly versions?: readonly string[];
}

/**
 * Normalised content of a membership leave, whatever its dialect.
 *
 * @remarks Legacy: empty content (optionally a `leave_reason` string, kept as `{ code }`).
 * Sticky: only the sticky key (and `slot_id`). msc4143: `member.membership: "leave"`.
 * @example
 * ```ts
 * if (content.kind === "leave") forget(content.stickyKey);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface MembershipLeaveContent {
  readonly kind: "leave";
  readonly dialect: MembershipDialect;
  readonly slotId?: string;
  readonly stickyKey?: string;
  /** msc4143 only: `member.id` of the member leaving (equals the sticky key). */
  readonly memberId?: string;
  readonly leaveReason?: { readonly code: string; readonly reason?: string };
}

/**
 * A parsed membership event content: a join or a leave.
 *
 * @example
 * ```ts
 * function label(content: MembershipContent) { return content.kind === "join" ? content.memberId : "left"; }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export type MembershipContent = MembershipJoinContent | MembershipLeaveContent;

/**
 * Parts of a membership parsed before that a parser may return again instead of a fresh copy
 * when the new content holds equal values (key order included), e.g. the previous event of the
 * same member: a refresh then allocates no transports.
 *
 * @remarks Only deep-frozen plain values are reused (what the parsers return); anything else is
 * ignored. The new content is validated in full either way, and the result is equal to what the
 * parser returns without this hint.
 * @example
 * ```ts
 * const next = parseRtcMemberContent(event.content, { reuse: previousMembership });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface ParseReuse {
  readonly transports?: readonly RtcTransport[];
  readonly application?: RtcApplication;
  readonly canSubscribe?: readonly string[];
}
