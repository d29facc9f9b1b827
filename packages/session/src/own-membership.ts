import type { LeaveTarget } from "@mxrtc/leave-scheduler";
import type { MatrixPort, SendResult } from "@mxrtc/matrix";
import {
  buildLegacyMembershipContent,
  buildStickyLeaveContent,
  buildStickyMembershipContent,
  type FocusSelection,
  isOwnedStateRoomVersion,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
  MAX_STICKY_DURATION_MS,
  type RtcTransport,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
} from "@mxrtc/types";

/** The membership dialects the session writes. */
export type WriteDialect = "legacy" | "sticky";

/** Everything fixed about our membership for one join. */
export interface OwnMembershipPlan {
  readonly dialect: WriteDialect;
  readonly roomId: string;
  readonly slotId: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly eventType: string;
  /** Legacy only. */
  readonly stateKey: string | undefined;
  readonly focusSelection: FocusSelection;
  /** The leave the scheduler arms before the membership is sent. */
  readonly leave: LeaveTarget;
}

/** What may change between two writes of the same join. */
export interface OwnMembershipFields {
  readonly transports: readonly RtcTransport[];
  readonly callIntent: string | undefined;
  /** Legacy: the first membership's `origin_server_ts`, once seen. */
  readonly createdTs: number | undefined;
  /** Legacy: `expires`, relative to `createdTs`. */
  readonly expiresMs: number;
}

/**
 * Plan our membership: event type, state key (legacy, with the owned-state room version check),
 * member id and the matching leave for the scheduler.
 *
 * @example
 * ```ts
 * const plan = planOwnMembership({ dialect: "legacy", roomId, slotId: "m.call#ROOM",
 *   userId: "@a:hs", deviceId: "DEV", memberId: "@a:hs:DEV", roomVersion: "11", focusSelection: "oldest_membership" });
 * plan.stateKey; // "_@a:hs_DEV_m.call"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function planOwnMembership(input: {
  readonly dialect: WriteDialect;
  readonly roomId: string;
  readonly slotId: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly roomVersion: string | undefined;
  readonly focusSelection: FocusSelection;
}): OwnMembershipPlan {
  const { dialect, roomId, slotId, userId, deviceId, memberId, focusSelection } = input;
  if (dialect === "sticky") {
    const eventType = UNSTABLE_RTC_MEMBER_EVENT_TYPE;
    return {
      ...{ dialect, roomId, slotId, userId, deviceId, memberId, eventType, focusSelection },
      stateKey: undefined,
      leave: {
        kind: "sticky",
        roomId,
        eventType,
        content: buildStickyLeaveContent({ memberId, slotId }),
        stickyDurationMs: MAX_STICKY_DURATION_MS,
      },
    };
  }
  const stateKey = legacyMembershipStateKey({
    userId,
    deviceId,
    slotId,
    ownedStateRoomVersion:
      input.roomVersion !== undefined && isOwnedStateRoomVersion(input.roomVersion),
  });
  const eventType = LEGACY_MEMBERSHIP_EVENT_TYPE;
  return {
    ...{ dialect, roomId, slotId, userId, deviceId, memberId, eventType, focusSelection },
    stateKey,
    leave: { kind: "state", roomId, eventType, stateKey, content: {} },
  };
}

/**
 * The content of our membership event for `plan` and the current `fields`.
 *
 * @example
 * ```ts
 * const content = buildOwnMembershipContent(plan, { transports, callIntent: "audio", createdTs: undefined, expiresMs: 14_400_000 });
 * ```
 */
export function buildOwnMembershipContent(
  plan: OwnMembershipPlan,
  fields: OwnMembershipFields,
): Record<string, unknown> {
  const intent = fields.callIntent === undefined ? {} : { callIntent: fields.callIntent };
  if (plan.dialect === "sticky") {
    return buildStickyMembershipContent({
      userId: plan.userId,
      deviceId: plan.deviceId,
      memberId: plan.memberId,
      slotId: plan.slotId,
      transports: fields.transports,
      ...intent,
    });
  }
  return buildLegacyMembershipContent({
    deviceId: plan.deviceId,
    slotId: plan.slotId,
    memberId: plan.memberId,
    transports: fields.transports,
    focusSelection: plan.focusSelection,
    expiresMs: fields.expiresMs,
    ...(fields.createdTs === undefined ? {} : { createdTs: fields.createdTs }),
    ...intent,
  });
}

/**
 * Send our membership: a state event (legacy) or a sticky message event for 1 h (sticky).
 *
 * @example
 * ```ts
 * const { eventId } = await sendOwnMembership(matrix, plan, content, { signal });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export function sendOwnMembership(
  matrix: Pick<MatrixPort, "sendEvent" | "sendStateEvent">,
  plan: OwnMembershipPlan,
  content: Record<string, unknown>,
  options: { readonly signal?: AbortSignal } = {},
): Promise<SendResult> {
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  if (plan.stateKey === undefined) {
    return matrix.sendEvent(plan.roomId, plan.eventType, content, {
      stickyDurationMs: MAX_STICKY_DURATION_MS,
      ...signal,
    });
  }
  return matrix.sendStateEvent(plan.roomId, plan.eventType, plan.stateKey, content, signal);
}

/**
 * The legacy `expires` to write so that `createdTs + expires` lies more than `headroomMs` after
 * `now`: the smallest multiple of `stepMs` that does (never the already-expired value of
 * prior-art §2.9).
 *
 * @example
 * ```ts
 * legacyExpiresMs({ createdTs: 0, now: 5 * 3_600_000, stepMs: 14_400_000, headroomMs: 300_000 }); // 28_800_000
 * ```
 */
export function legacyExpiresMs(input: {
  readonly createdTs: number;
  readonly now: number;
  readonly stepMs: number;
  readonly headroomMs: number;
}): number {
  const { createdTs, now, stepMs, headroomMs } = input;
  const needed = Math.max(0, now + headroomMs - createdTs);
  return (Math.floor(needed / stepMs) + 1) * stepMs;
}
