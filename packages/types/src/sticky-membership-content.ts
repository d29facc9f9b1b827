import { parseSlotId } from "./slot-id.js";
import type { RtcTransport } from "./transport.js";
import { TypesError } from "./types-error.js";

function slotApplication(slotId: string): string {
  const slot = parseSlotId(slotId);
  if (!slot.ok)
    throw new TypesError(
      "invalid-slot-id",
      `invalid slot id ${JSON.stringify(slotId)}: ${slot.error.message}`,
    );
  return slot.value.application;
}

/**
 * Builds the content of a sticky `org.matrix.msc4143.rtc.member` join, in the shape matrix-js-sdk 43
 * reads and writes (G2).
 *
 * @remarks Send it as an MSC4354 sticky event (e.g. `sticky_duration_ms` 3 600 000). Writes
 * `application: { type, "m.call.intent"? }` (type = the slot's application), `slot_id`,
 * `member: { user_id, device_id, id }`, `transports: { published, can_subscribe }`,
 * `versions: []` and `msc4354_sticky_key` = `memberId` (no `sticky_key`). Defaults:
 * `canSubscribe` = the distinct types of `transports`; `includeRtcTransports` false (true also
 * writes the js-sdk 42 `rtc_transports` array, which js-sdk 43 ignores). js-sdk requires
 * `userId` to be the sender and to look like `@…:…`. Throws {@link TypesError} for an invalid slot id.
 * @example
 * ```ts
 * buildStickyMembershipContent({
 *   userId: "@alice:example.org", deviceId: "AAAAAAA", memberId: "@alice:example.org:AAAAAAA",
 *   slotId: "m.call#ROOM", transports: [{ type: "livekit", livekit_service_url: "https://rtc.example.org" }],
 * });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function buildStickyMembershipContent(input: {
  userId: string;
  deviceId: string;
  memberId: string;
  slotId: string;
  transports: readonly RtcTransport[];
  canSubscribe?: readonly string[];
  callIntent?: string;
  includeRtcTransports?: boolean;
}): Record<string, unknown> {
  const type = slotApplication(input.slotId);
  const published = input.transports.map((transport) => ({ ...transport }));
  return {
    application:
      input.callIntent === undefined ? { type } : { type, "m.call.intent": input.callIntent },
    slot_id: input.slotId,
    member: { user_id: input.userId, device_id: input.deviceId, id: input.memberId },
    transports: {
      published,
      can_subscribe: [
        ...(input.canSubscribe ?? new Set(input.transports.map((transport) => transport.type))),
      ],
    },
    ...(input.includeRtcTransports && {
      rtc_transports: input.transports.map((transport) => ({ ...transport })),
    }),
    versions: [],
    msc4354_sticky_key: input.memberId,
  };
}

/**
 * Builds the content of a sticky membership leave: `{ slot_id, msc4354_sticky_key }`, what
 * matrix-js-sdk 43 sends (usually as a delayed sticky event).
 *
 * @remarks Throws {@link TypesError} for an invalid slot id.
 * @example
 * ```ts
 * buildStickyLeaveContent({ memberId: "@alice:example.org:AAAAAAA", slotId: "m.call#ROOM" });
 * // { slot_id: "m.call#ROOM", msc4354_sticky_key: "@alice:example.org:AAAAAAA" }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export function buildStickyLeaveContent(input: {
  memberId: string;
  slotId: string;
}): Record<string, unknown> {
  slotApplication(input.slotId);
  return { slot_id: input.slotId, msc4354_sticky_key: input.memberId };
}
