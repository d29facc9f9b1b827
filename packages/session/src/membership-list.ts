import { type RoomRtcState, selectMemberTransports } from "@mxrtc/state";
import { type RtcTransport, transportsEqual } from "@mxrtc/types";
import { focusStatusFor, type SessionMembership } from "./session-membership.js";

/**
 * The slot's active members at `now`, each with its transport, focus status and whether it is
 * ours.
 *
 * @example
 * ```ts
 * const list = listMemberships(state, { slotId, now, focusTypes: new Set(["livekit"]), isLocal: () => false });
 * ```
 */
export function listMemberships(
  state: RoomRtcState,
  input: {
    readonly slotId: string;
    readonly now: number;
    readonly focusTypes: ReadonlySet<string>;
    readonly isLocal: (membership: {
      userId: string;
      memberId: string;
      dialect: string;
    }) => boolean;
  },
): readonly SessionMembership[] {
  return Object.freeze(
    selectMemberTransports(state, { slotId: input.slotId, now: input.now }).map(
      ({ membership, transport }) =>
        Object.freeze({
          ...membership,
          transport,
          focusStatus: focusStatusFor(transport, input.focusTypes),
          isLocal: input.isLocal(membership),
        }),
    ),
  );
}

/**
 * Equal transports (`transportsEqual`), where two `undefined` are equal too.
 *
 * @example
 * ```ts
 * sameTransport(undefined, undefined); // true
 * ```
 */
export function sameTransport(a: RtcTransport | undefined, b: RtcTransport | undefined): boolean {
  return a === undefined || b === undefined ? a === b : transportsEqual(a, b);
}

/**
 * Whether two membership lists differ in anything a listener cares about: who, which event,
 * created/expiry time, transport or focus status.
 *
 * @example
 * ```ts
 * if (membershipsDiffer(previous, next)) emit("memberships-changed", { memberships: next, previous });
 * ```
 */
export function membershipsDiffer(
  a: readonly SessionMembership[],
  b: readonly SessionMembership[],
): boolean {
  if (a.length !== b.length) return true;
  return a.some((left, index) => {
    const right = b[index];
    return (
      right === undefined ||
      left.membershipKey !== right.membershipKey ||
      left.eventId !== right.eventId ||
      left.createdTs !== right.createdTs ||
      left.expiresTs !== right.expiresTs ||
      left.isLocal !== right.isLocal ||
      left.focusStatus.served !== right.focusStatus.served ||
      !sameTransport(left.transport, right.transport)
    );
  });
}
