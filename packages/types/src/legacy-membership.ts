import { LEGACY_DEFAULT_EXPIRES_MS } from "./constants.js";
import { readLeaveReason } from "./leave-reason.js";
import type {
  FocusSelection,
  MembershipContent,
  MembershipJoinContent,
  MembershipLeaveContent,
  ParseReuse,
  RtcApplication,
} from "./membership-content.js";
import type { ParseResult } from "./parse-result.js";
import {
  asRecord,
  asString,
  describe,
  failure,
  field,
  invalid,
  isGoodString,
  isRecord,
  type JsonRecord,
  optionalTime,
} from "./read.js";
import { legacyFieldsFromSlotId, parseSlotId, slotIdFromLegacy, slotIdProblem } from "./slot-id.js";
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
 * @param context - `sender` of the event (for the default member id `${sender}:${device_id}`);
 * `reuse`: parts of this member's previously parsed content (see {@link ParseReuse}), whose
 * transports are returned again instead of copied when equal. Default: none.
 * @example
 * ```ts
 * const result = parseLegacyMembershipContent(event.content, { sender: event.sender });
 * if (result.ok && result.value.kind === "join") console.log(result.value.slotId); // "m.call#ROOM"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function parseLegacyMembershipContent(
  content: unknown,
  context: { readonly sender: string; readonly reuse?: ParseReuse | undefined },
): ParseResult<MembershipContent> {
  try {
    return { ok: true, value: readLegacy(content, context) };
  } catch (error) {
    return failure(error, "content");
  }
}

/** At most two own enumerable keys are counted: a leave has none, or only `leave_reason`. */
function countKeysUpToTwo(record: JsonRecord): number {
  let count = 0;
  for (const key in record) {
    if (Object.hasOwn(record, key) && ++count === 2) break;
  }
  return count;
}

let lastApplication: RtcApplication | undefined;

/** The frozen `{ type }` of a legacy application (the last one is kept: most rooms use one). */
function applicationOf(type: string): RtcApplication {
  if (lastApplication?.type !== type) lastApplication = Object.freeze({ type });
  return lastApplication;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readLegacy(
  content: unknown,
  context: { readonly sender: string; readonly reuse?: ParseReuse | undefined },
): MembershipContent {
  const sender = context?.sender;
  if (!isGoodString(sender)) asString(sender, "sender");
  const record = asRecord(content, "content");
  const keyCount = countKeysUpToTwo(record);
  const leaveReason = field(record, "leave_reason");
  if (keyCount === 0 || (keyCount === 1 && leaveReason !== undefined)) {
    const leave: Mutable<MembershipLeaveContent> = { kind: "leave", dialect: "legacy" };
    if (leaveReason !== undefined)
      leave.leaveReason = readLeaveReason(leaveReason, "content.leave_reason");
    return leave;
  }
  if (field(record, "memberships") !== undefined && field(record, "application") === undefined) {
    invalid("content.memberships", "the per-user MSC3401 memberships array is not supported");
  }
  const application = field(record, "application");
  if (!isGoodString(application)) asString(application, "content.application");
  const callId = field(record, "call_id");
  if (!isGoodString(callId, false)) asString(callId, "content.call_id", false);
  const slotId = slotIdFromLegacy(application as string, callId as string);
  if (slotIdProblem(slotId) !== undefined)
    invalid(
      (application as string).includes("#") ? "content.application" : "content.call_id",
      "must not contain '#'",
    );
  const deviceId = field(record, "device_id");
  if (!isGoodString(deviceId)) asString(deviceId, "content.device_id");
  const scope = field(record, "scope");
  if (scope !== undefined && !isGoodString(scope)) asString(scope, "content.scope");
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
  if (!isGoodString(focusActiveType)) asString(focusActiveType, "content.focus_active.type");
  let focusSelection = field(focusActive, "focus_selection");
  let selectionKey = "focus_selection";
  if (focusSelection === undefined) {
    focusSelection = field(focusActive, "selection");
    selectionKey = "selection";
    if (focusSelection === undefined) {
      focusSelection = field(focusActive, "focus_select");
      selectionKey = "focus_select";
    }
  }
  if (focusSelection !== undefined && !isGoodString(focusSelection))
    asString(focusSelection, `content.focus_active.${selectionKey}`);
  const foci = field(record, "foci_preferred");
  const createdTs = optionalTime(record, "created_ts", "content");
  const expiresMs = optionalTime(record, "expires", "content");
  const callIntent = field(record, "m.call.intent");
  if (callIntent !== undefined && !isGoodString(callIntent))
    asString(callIntent, "content.m.call.intent");
  const membershipId = field(record, "membershipID");
  if (membershipId !== undefined && !isGoodString(membershipId))
    asString(membershipId, "content.membershipID");
  const join: Mutable<MembershipJoinContent> = {
    kind: "join",
    dialect: "legacy",
    slotId,
    application: applicationOf(application as string),
    memberId: (membershipId as string | undefined) ?? `${sender}:${deviceId}`,
    deviceId: deviceId as string,
    transports:
      foci === undefined
        ? EMPTY_TRANSPORTS
        : readTransports(foci, "content.foci_preferred", context.reuse?.transports),
  };
  if (focusSelection !== undefined) join.focusSelection = focusSelection as string;
  join.focusActiveType = focusActiveType;
  if (createdTs !== undefined) join.createdTs = createdTs;
  if (expiresMs !== undefined) join.expiresMs = expiresMs;
  if (callIntent !== undefined) join.callIntent = callIntent as string;
  return join;
}

const EMPTY_TRANSPORTS: readonly RtcTransport[] = Object.freeze([]);

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
