import type { RtcTransport } from "@mxrtc/types";
import type { RoomRtcState } from "./room-rtc-state.js";
import type { RtcMembership } from "./rtc-membership.js";
import { selectMemberships } from "./select-memberships.js";
import type { SlotSelectOptions } from "./select-options.js";

const sharedCache = new WeakMap<
  readonly RtcMembership[],
  { readonly transport: RtcTransport | undefined }
>();

/**
 * The one transport every member of the slot connects to, if there is one.
 *
 * @remarks Rule: when every active membership is a legacy membership with
 * `focus_selection: "oldest_membership"` (a missing `focus_selection` reads as that), the shared
 * transport is the oldest membership's first `foci_preferred` entry (Element Call's original
 * model). Otherwise there is no shared transport and this returns `undefined`: legacy
 * `multi_sfu`, js-sdk sticky and MSC4143 draft members each publish on their own first transport
 * (see {@link selectMemberTransports}). An unknown `focus_selection` also gives `undefined` (with
 * an `unknown-focus-selection` diagnostic when the event was applied). Cached per answer of
 * {@link selectMemberships}.
 * @example
 * ```ts
 * const transport = selectTransport(state, { slotId: "m.call#ROOM", now: Date.now() });
 * if (transport?.type === "livekit") connectTo(transport);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function selectTransport(
  state: RoomRtcState,
  options: SlotSelectOptions,
): RtcTransport | undefined {
  const memberships = selectMemberships(state, options);
  const cached = sharedCache.get(memberships);
  if (cached !== undefined) return cached.transport;
  let transport: RtcTransport | undefined;
  const oldest = memberships[0];
  if (
    oldest !== undefined &&
    memberships.every(
      (membership) =>
        membership.dialect === "legacy" && membership.focusSelection === "oldest_membership",
    )
  ) {
    transport = oldest.transports[0];
  }
  sharedCache.set(memberships, { transport });
  return transport;
}

/** One active membership and the transport it publishes on. */
export interface MemberTransport {
  readonly membership: RtcMembership;
  /** Undefined when the member names none or uses an unknown focus selection. */
  readonly transport: RtcTransport | undefined;
}

function ownTransport(membership: RtcMembership): RtcTransport | undefined {
  if (
    membership.dialect === "legacy" &&
    membership.focusSelection !== "oldest_membership" &&
    membership.focusSelection !== "multi_sfu"
  ) {
    return undefined;
  }
  return membership.transports[0];
}

/**
 * Where each active member publishes, following matrix-js-sdk: legacy `oldest_membership` →
 * the oldest membership's own first transport; legacy `multi_sfu`, sticky and MSC4143 draft →
 * the member's own first transport; unknown selection → undefined.
 *
 * @remarks A subscriber connects to every distinct transport in this list.
 * @example
 * ```ts
 * const targets = new Set(selectMemberTransports(state, { slotId, now }).map((entry) => entry.transport?.livekit_service_url));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function selectMemberTransports(
  state: RoomRtcState,
  options: SlotSelectOptions,
): readonly MemberTransport[] {
  const memberships = selectMemberships(state, options);
  const oldest = memberships[0];
  return memberships.map((membership) => ({
    membership,
    transport:
      membership.dialect === "legacy" &&
      membership.focusSelection === "oldest_membership" &&
      oldest !== undefined
        ? ownTransport(oldest)
        : ownTransport(membership),
  }));
}
