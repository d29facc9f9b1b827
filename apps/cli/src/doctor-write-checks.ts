import type { DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import { MatrixError, matrixPath } from "@mxrtc/matrix";
import { checkPowerLevel } from "@mxrtc/session";
import {
  DEFAULT_SLOT_ID,
  isOwnedStateRoomVersion,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
} from "@mxrtc/types";
import { describeMatrixFailure } from "./describe-matrix-failure.js";
import type { DoctorContext, DoctorIdentity, DoctorResult } from "./doctor-check.js";

/** How far ahead the doctor's test leave is scheduled (it is cancelled long before). */
export const DOCTOR_DELAY_MS = 60_000;

type StateRead =
  | { readonly ok: true; readonly content: Record<string, unknown> | undefined }
  | { readonly ok: false; readonly error: unknown };

/** A state event's content; `content: undefined` when the room has none (404). */
async function readState(
  context: DoctorContext,
  roomId: string,
  eventType: string,
): Promise<StateRead> {
  if (context.matrix === undefined) return { ok: false, error: new Error("needs --token") };
  try {
    const content = await context.matrix.request<Record<string, unknown>>({
      method: "GET",
      path: matrixPath`/_matrix/client/v3/rooms/${roomId}/state/${eventType}/`,
      timeoutMs: context.timeoutMs,
    });
    return { ok: true, content };
  } catch (error) {
    if (MatrixError.isInstance(error) && error.status === 404 && error.errcode === "M_NOT_FOUND") {
      return { ok: true, content: undefined };
    }
    return { ok: false, error };
  }
}

/**
 * Our membership power level in `roomId` (element-web#30703: rooms where members may not send
 * `org.matrix.msc3401.call.member` state cannot hold calls). Legacy state membership is needed
 * (fail); the sticky `org.matrix.msc4143.rtc.member` message is only warned about.
 *
 * @example
 * ```ts
 * await checkMembershipPowerLevel(context, identity, "!room:example.org");
 * ```
 * @see https://github.com/element-hq/element-web/issues/30703
 */
export async function checkMembershipPowerLevel(
  context: DoctorContext,
  identity: DoctorIdentity,
  roomId: string,
): Promise<DoctorResult> {
  const id = "power-level";
  const read = await readState(context, roomId, "m.room.power_levels");
  if (!read.ok) {
    return {
      id,
      status: "fail",
      message: `cannot read the power levels of ${roomId}: ${describeMatrixFailure(read.error, { homeserver: context.homeserver, roomId })}`,
      fix: "pass a room the --token user has joined",
    };
  }
  const content = read.content;
  const legacy = checkPowerLevel(content, {
    userId: identity.userId,
    eventType: LEGACY_MEMBERSHIP_EVENT_TYPE,
    isState: true,
  });
  const sticky = checkPowerLevel(content, {
    userId: identity.userId,
    eventType: UNSTABLE_RTC_MEMBER_EVENT_TYPE,
    isState: false,
  });
  if (!legacy.allowed) {
    return {
      id,
      status: "fail",
      message: `${identity.userId} has power level ${legacy.userPowerLevel} in ${roomId}, but ${LEGACY_MEMBERSHIP_EVENT_TYPE} needs ${legacy.requiredPowerLevel}: this user cannot join calls there`,
      fix: `in m.room.power_levels set "events": { "${LEGACY_MEMBERSHIP_EVENT_TYPE}": 0, "${UNSTABLE_RTC_MEMBER_EVENT_TYPE}": 0 } (element-web#30703)`,
    };
  }
  if (!sticky.allowed) {
    return {
      id,
      status: "warn",
      message: `${identity.userId} may send legacy memberships (level ${legacy.userPowerLevel} ≥ ${legacy.requiredPowerLevel}) but not sticky ${UNSTABLE_RTC_MEMBER_EVENT_TYPE} (needs ${sticky.requiredPowerLevel})`,
      fix: `in m.room.power_levels set "events": { "${UNSTABLE_RTC_MEMBER_EVENT_TYPE}": 0 }`,
    };
  }
  return {
    id,
    status: "ok",
    message: `${identity.userId} may send call memberships in ${roomId} (level ${legacy.userPowerLevel}, needs ${legacy.requiredPowerLevel})`,
  };
}

/**
 * A delayed event for real, in `roomId`: schedule a delayed state event of type
 * `org.matrix.msc3401.call.member` with content `{}` at OUR OWN legacy state key (it can only
 * ever empty our own membership), restart it, check it is listed, cancel it, check it is gone.
 *
 * @remarks Uses {@link DOCTOR_DELAY_MS} (60 s), so even if the doctor dies half-way the only
 * effect is our own (already empty) membership written empty again a minute later. Homeservers
 * check membership and power levels only when a delayed event is sent, so this passes even in a
 * room we may not write to: {@link checkMembershipPowerLevel} covers that.
 * @example
 * ```ts
 * await checkDelayedEventRoundTrip(context, delayedEvents, identity, "!room:example.org");
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export async function checkDelayedEventRoundTrip(
  context: DoctorContext,
  delayedEvents: DelayedEventTransportV1,
  identity: DoctorIdentity,
  roomId: string,
  now: () => number = Date.now,
): Promise<DoctorResult> {
  const id = "delayed-event";
  const create = await readState(context, roomId, "m.room.create");
  const version = create.ok ? create.content?.room_version : undefined;
  const roomVersion = typeof version === "string" ? version : "";
  const stateKey = legacyMembershipStateKey({
    userId: identity.userId,
    deviceId: identity.deviceId,
    slotId: DEFAULT_SLOT_ID,
    ownedStateRoomVersion: isOwnedStateRoomVersion(roomVersion),
  });
  const request = { timeoutMs: context.timeoutMs };
  let step = "schedule";
  let delayId: string | undefined;
  try {
    ({ delayId } = await delayedEvents.scheduleStateEvent({
      roomId,
      eventType: LEGACY_MEMBERSHIP_EVENT_TYPE,
      stateKey,
      content: {},
      delayMs: DOCTOR_DELAY_MS,
      ...request,
    }));
    step = "restart";
    const started = now();
    await delayedEvents.restart(delayId, request);
    const restartMs = now() - started;
    step = "list";
    const listed = (await delayedEvents.listScheduled(request)).some((e) => e.delayId === delayId);
    step = "cancel";
    await delayedEvents.cancel(delayId, request);
    step = "list after cancel";
    const still = (await delayedEvents.listScheduled(request)).some((e) => e.delayId === delayId);
    if (!listed || still) {
      return {
        id,
        status: "warn",
        message: `delayed event scheduled, restarted and cancelled, but the scheduled list ${listed ? "still held it after cancel" : "did not show it"}`,
      };
    }
    return {
      id,
      status: "ok",
      message: `delayed leave scheduled at our own state key, restarted (${restartMs} ms), listed and cancelled in ${roomId}`,
    };
  } catch (error) {
    if (delayId !== undefined && step !== "cancel") {
      await delayedEvents.cancel(delayId, request).catch(() => undefined);
    }
    return {
      id,
      status: "fail",
      message: `delayed event ${step} failed in ${roomId}: ${describeMatrixFailure(error, { homeserver: context.homeserver, roomId })}`,
      fix: "delayed events must work for members to leave reliably: check MSC4140 (max_event_delay_duration), rc_delayed_event_mgmt rate limits and the room's power levels",
    };
  }
}
