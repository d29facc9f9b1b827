import { LEGACY_DEFAULT_EXPIRES_MS } from "./constants.js";
import { readLeaveReason } from "./leave-reason.js";
import type { FocusSelection, MembershipContent } from "./membership-content.js";
import type { ParseResult } from "./parse-result.js";
import {
  asRecord,
  asString,
  describe,
  field,
  guard,
  invalid,
  isRecord,
  optionalString,
  optionalTime,
} from "./read.js";
import { legacyFieldsFromSlotId, parseSlotId, slotIdFromLegacy } from "./slot-id.js";
import { type RtcTransport, readTransports } from "./transport.js";
import { TypesError } from "./types-error.js";

/**
 * Parses the content of a legacy `org.matrix.msc3401.call.member` state event. Never throws.
 *
 * @remarks `{}` (or content whose only key is `leave_reason`) is a leave. A join needs string
 * `application`, `call_id`, `device_id` and `focus_active` with a string `type` (matrix-js-sdk 43
 * rejects a membership without them too); `foci_preferred` (≤ 16 transports), `created_ts`,
 * `expires`, `scope`, `membershipID` and `m.call.intent` are checked when present. A missing
 * `focus_active.focus_selection` is left undefined (readers treat it as `oldest_membership`). The old MSC3401 per-user `{ memberships: [...] }` form is rejected.
 * The state key is not looked at: check it with {@link isAuthenticLegacyStateKey}.
 * @param content - the untrusted event content.
 * @param context - `sender` of the event (for the default member id `${sender}:${device_id}`).
 * @example
 * ```ts
 * const result = parseLegacyMembershipContent(event.content, { sender: event.sender });
 * if (result.ok && result.value.kind === "join") console.log(result.value.slotId); // "m.call#ROOM"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function parseLegacyMembershipContent(
  content: unknown,
  context: { readonly sender: string },
): ParseResult<MembershipContent> {
  return guard("content", () => {
    const sender = asString(context?.sender, "sender");
    const record = asRecord(content, "content");
    const keys = Object.keys(record);
    const leaveReason = field(record, "leave_reason");
    if (keys.length === 0 || (keys.length === 1 && leaveReason !== undefined)) {
      return {
        kind: "leave",
        dialect: "legacy",
        ...(leaveReason !== undefined && {
          leaveReason: readLeaveReason(leaveReason, "content.leave_reason"),
        }),
      };
    }
    if (field(record, "memberships") !== undefined && field(record, "application") === undefined) {
      invalid("content.memberships", "the per-user MSC3401 memberships array is not supported");
    }
    const application = asString(field(record, "application"), "content.application");
    const callId = asString(field(record, "call_id"), "content.call_id", false);
    const slotId = slotIdFromLegacy(application, callId);
    const slot = parseSlotId(slotId);
    if (!slot.ok)
      invalid(
        application.includes("#") ? "content.application" : "content.call_id",
        "must not contain '#'",
      );
    const deviceId = asString(field(record, "device_id"), "content.device_id");
    optionalString(record, "scope", "content");
    const focusActive = field(record, "focus_active");
    if (!isRecord(focusActive)) {
      invalid(
        "content.focus_active",
        `expected an object with a string type, got ${describe(focusActive)} (matrix-js-sdk rejects it too)`,
      );
    }
    const focusActiveType = field(focusActive, "type");
    if (typeof focusActiveType !== "string") {
      invalid(
        "content.focus_active.type",
        `expected a string, got ${describe(focusActiveType)} (matrix-js-sdk rejects it too)`,
      );
    }
    asString(focusActiveType, "content.focus_active.type");
    let focusSelection: string | undefined;
    const key = ["focus_selection", "selection", "focus_select"].find(
      (name) => field(focusActive, name) !== undefined,
    );
    if (key) focusSelection = asString(field(focusActive, key), `content.focus_active.${key}`);
    const foci = field(record, "foci_preferred");
    const createdTs = optionalTime(record, "created_ts", "content");
    const expiresMs = optionalTime(record, "expires", "content");
    const callIntent = optionalString(record, "m.call.intent", "content");
    return {
      kind: "join",
      dialect: "legacy",
      slotId,
      application: Object.freeze({ type: application }),
      memberId: optionalString(record, "membershipID", "content") ?? `${sender}:${deviceId}`,
      deviceId,
      transports:
        foci === undefined ? Object.freeze([]) : readTransports(foci, "content.foci_preferred"),
      ...(focusSelection !== undefined && { focusSelection }),
      focusActiveType,
      ...(createdTs !== undefined && { createdTs }),
      ...(expiresMs !== undefined && { expiresMs }),
      ...(callIntent !== undefined && { callIntent }),
    };
  });
}

/**
 * Builds the content of a legacy membership state event, in the exact shape deployed
 * matrix-js-sdk / Element Call write (G1).
 *
 * @remarks Send it to the state key from {@link legacyMembershipStateKey}. Defaults: `expires`
 * {@link LEGACY_DEFAULT_EXPIRES_MS} (4 h); `focus_active.type` is the first transport's type, or
 * `"livekit"` with no transports; `focus_selection` `"oldest_membership"`. `membershipID`,
 * `created_ts` (set it on updates to the first join's `origin_server_ts`) and `m.call.intent` are
 * written only when given. Throws {@link TypesError} for an invalid slot id.
 * @example
 * ```ts
 * buildLegacyMembershipContent({
 *   deviceId: "AAAAAAA",
 *   slotId: "m.call#ROOM",
 *   memberId: "@alice:example.org:AAAAAAA",
 *   transports: [{ type: "livekit", livekit_service_url: "https://rtc.example.org", livekit_alias: "!room:example.org" }],
 * });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function buildLegacyMembershipContent(input: {
  deviceId: string;
  slotId: string;
  memberId?: string;
  transports: readonly RtcTransport[];
  focusSelection?: FocusSelection;
  createdTs?: number;
  expiresMs?: number;
  callIntent?: string;
}): Record<string, unknown> {
  const slot = parseSlotId(input.slotId);
  if (!slot.ok)
    throw new TypesError(
      "invalid-slot-id",
      `invalid slot id ${JSON.stringify(input.slotId)}: ${slot.error.message}`,
    );
  const { application, callId } = legacyFieldsFromSlotId(input.slotId);
  return {
    application,
    call_id: callId,
    scope: "m.room",
    device_id: input.deviceId,
    ...(input.memberId !== undefined && { membershipID: input.memberId }),
    expires: input.expiresMs ?? LEGACY_DEFAULT_EXPIRES_MS,
    ...(input.callIntent !== undefined && { "m.call.intent": input.callIntent }),
    focus_active: {
      type: input.transports[0]?.type ?? "livekit",
      focus_selection: input.focusSelection ?? "oldest_membership",
    },
    foci_preferred: input.transports.map((transport) => ({ ...transport })),
    ...(input.createdTs !== undefined && { created_ts: input.createdTs }),
  };
}
