import type { RtcMembership } from "@mxrtc/state";
import type { RtcTransport } from "@mxrtc/types";

/**
 * Whether a member's transport is served by a registered focus plugin.
 *
 * @example
 * ```ts
 * const status: FocusStatus = { served: false, reason: "no plugin for transport type x" };
 * ```
 */
export type FocusStatus =
  | { readonly served: true; readonly focusType: string }
  | { readonly served: false; readonly reason: string };

/**
 * A member of the slot as the session lists it: the reducer's {@link RtcMembership} plus where it
 * publishes and whether we can reach it.
 *
 * @remarks A member whose transport no plugin serves is still listed, with `focusStatus.served`
 * `false` and the reason; it is never dropped.
 * @example
 * ```ts
 * for (const member of session.memberships) {
 *   if (!member.focusStatus.served) console.warn(member.userId, member.focusStatus.reason);
 * }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface SessionMembership extends RtcMembership {
  /** Where this member publishes (legacy `oldest_membership`: the oldest member's transport). */
  readonly transport: RtcTransport | undefined;
  readonly focusStatus: FocusStatus;
  /** This is our own membership. */
  readonly isLocal: boolean;
}

/**
 * Whether `transport` is served by one of `focusTypes`.
 *
 * @example
 * ```ts
 * focusStatusFor({ type: "livekit" }, new Set(["livekit"])); // { served: true, focusType: "livekit" }
 * ```
 */
export function focusStatusFor(
  transport: RtcTransport | undefined,
  focusTypes: ReadonlySet<string>,
): FocusStatus {
  if (transport === undefined) {
    return { served: false, reason: "member names no usable transport" };
  }
  if (!focusTypes.has(transport.type)) {
    return { served: false, reason: `no plugin for transport type ${transport.type}` };
  }
  return { served: true, focusType: transport.type };
}
