import { readLeaveReason } from "./leave-reason.js";
import type {
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
  asStringArray,
  copyJson,
  failure,
  field,
  invalid,
  isGoodString,
  isRecord,
  type JsonRecord,
} from "./read.js";
import { slotIdProblem } from "./slot-id.js";
import { type RtcTransport, readTransports } from "./transport.js";

/**
 * Parses the content of an `org.matrix.msc4143.rtc.member` / `m.rtc.member` sticky event. Never throws.
 *
 * @remarks Dialect detection: `member.membership` present → `"msc4143"` (latest draft: join or
 * leave, `sticky_key` must equal `member.id`); otherwise matrix-js-sdk's `"sticky"` dialect, where
 * content without `member` and `application` (typically only `msc4354_sticky_key` and maybe
 * `slot_id`) is a leave. A sticky join needs `slot_id` starting with `application.type + "#"`,
 * `member.id`, `member.user_id` and `member.device_id` (sticky-v1 `claimed_user_id` /
 * `claimed_device_id` accepted) and a sticky key. Transports come from `transports.published`
 * (js-sdk 43, msc4143) or `rtc_transports` (js-sdk 42). `sticky_key` and `msc4354_sticky_key` must
 * be equal when both are present. Whether `member.user_id` is the sender is not checked here.
 * @param content - the untrusted event content.
 * @param options - `reuse`: parts of this member's previously parsed content (see
 * {@link ParseReuse}); equal transports, `application` and `can_subscribe` are returned again
 * instead of copied. Default: none.
 * @example
 * ```ts
 * const result = parseRtcMemberContent({ msc4354_sticky_key: "abc" });
 * // { ok: true, value: { kind: "leave", dialect: "sticky", stickyKey: "abc" } }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function parseRtcMemberContent(
  content: unknown,
  options?: { readonly reuse?: ParseReuse | undefined },
): ParseResult<MembershipContent> {
  try {
    return { ok: true, value: readRtcMember(content, options?.reuse) };
  } catch (error) {
    return failure(error, "content");
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const EMPTY_TRANSPORTS: readonly RtcTransport[] = Object.freeze([]);
const EMPTY_STRINGS: readonly string[] = Object.freeze([]);

function readRtcMember(content: unknown, reuse: ParseReuse | undefined): MembershipContent {
  const record = asRecord(content, "content");
  const stickyKey = readStickyKey(record);
  const member = field(record, "member");
  if (isRecord(member) && field(member, "membership") !== undefined)
    return readMsc4143(record, member, stickyKey, reuse);
  if (member === undefined && field(record, "application") === undefined) {
    if (stickyKey === undefined)
      invalid("content.msc4354_sticky_key", "missing: a leave needs a sticky key");
    const slotValue = field(record, "slot_id");
    const reason = field(record, "leave_reason");
    const leave: Mutable<MembershipLeaveContent> = { kind: "leave", dialect: "sticky", stickyKey };
    if (slotValue !== undefined) leave.slotId = readSlotId(slotValue);
    if (reason !== undefined) leave.leaveReason = readLeaveReason(reason, "content.leave_reason");
    return leave;
  }
  return readStickyJoin(record, stickyKey, reuse);
}

function readStickyKey(record: JsonRecord): string | undefined {
  const stable = field(record, "sticky_key");
  const unstable = field(record, "msc4354_sticky_key");
  if (stable !== undefined && !isGoodString(stable)) asString(stable, "content.sticky_key");
  if (unstable !== undefined && !isGoodString(unstable))
    asString(unstable, "content.msc4354_sticky_key");
  const key = stable as string | undefined;
  const unstableKey = unstable as string | undefined;
  if (key !== undefined && unstableKey !== undefined && key !== unstableKey) {
    invalid("content.sticky_key", "differs from msc4354_sticky_key");
  }
  return key ?? unstableKey;
}

function readSlotId(value: unknown): string {
  if (!isGoodString(value)) asString(value, "content.slot_id");
  const problem = slotIdProblem(value as string);
  if (problem !== undefined) invalid("content.slot_id", problem);
  return value as string;
}

function readApplication(
  record: JsonRecord,
  slotId: string,
  reuse: ParseReuse | undefined,
): RtcApplication {
  const application = copyJson(
    asRecord(field(record, "application"), "content.application"),
    "content.application",
    reuse?.application,
  ) as JsonRecord;
  const type = field(application, "type");
  if (!isGoodString(type)) asString(type, "content.application.type");
  const text = type as string;
  // slot_id must start with `${type}#` (checked without building that string).
  const prefixed =
    slotId.length > text.length && slotId.charCodeAt(text.length) === 35 && slotId.startsWith(text);
  if (!prefixed || text.includes("#")) {
    invalid("content.application.type", `does not match slot_id ${JSON.stringify(slotId)}`);
  }
  return application as RtcApplication;
}

/** `transports.can_subscribe` read by the last {@link readTransportSet} call, if any. */
let lastCanSubscribe: readonly string[] | undefined;

/** The published transports; `transports.can_subscribe` is left in `lastCanSubscribe`. */
function readTransportSet(
  record: JsonRecord,
  reuse: ParseReuse | undefined,
): readonly RtcTransport[] {
  lastCanSubscribe = undefined;
  const value = field(record, "transports");
  if (value === undefined) {
    const legacy = field(record, "rtc_transports");
    return legacy === undefined
      ? EMPTY_TRANSPORTS
      : readTransports(legacy, "content.rtc_transports", reuse?.transports);
  }
  const set = asRecord(value, "content.transports");
  const published = field(set, "published");
  const canSubscribe = field(set, "can_subscribe");
  const transports =
    published === undefined
      ? EMPTY_TRANSPORTS
      : readTransports(published, "content.transports.published", reuse?.transports);
  lastCanSubscribe =
    canSubscribe === undefined
      ? undefined
      : asStringArray(canSubscribe, "content.transports.can_subscribe", reuse?.canSubscribe);
  return transports;
}

function readMsc4143(
  record: JsonRecord,
  member: JsonRecord,
  stickyKey: string | undefined,
  reuse: ParseReuse | undefined,
): MembershipContent {
  const memberIdValue = field(member, "id");
  if (!isGoodString(memberIdValue)) asString(memberIdValue, "content.member.id");
  const memberId = memberIdValue as string;
  if (stickyKey === undefined) invalid("content.sticky_key", "missing");
  if (stickyKey !== memberId) invalid("content.sticky_key", "must equal member.id");
  const slotId = readSlotId(field(record, "slot_id"));
  const membership = field(member, "membership");
  if (membership === "leave") {
    const reason = field(record, "leave_reason");
    const leave: Mutable<MembershipLeaveContent> = {
      kind: "leave",
      dialect: "msc4143",
      slotId,
      stickyKey,
      memberId,
    };
    if (reason !== undefined) leave.leaveReason = readLeaveReason(reason, "content.leave_reason");
    return leave;
  }
  if (membership !== "join") invalid("content.member.membership", 'expected "join" or "leave"');
  const application = readApplication(record, slotId, reuse);
  const deviceId = field(member, "claimed_device_id");
  if (deviceId !== undefined && !isGoodString(deviceId))
    asString(deviceId, "content.member.claimed_device_id");
  const transports = readTransportSet(record, reuse);
  const canSubscribe = lastCanSubscribe;
  // Same key order as the other joins: deviceId (when present) before transports.
  const join: Mutable<MembershipJoinContent> =
    deviceId === undefined
      ? { kind: "join", dialect: "msc4143", slotId, application, memberId, transports }
      : {
          kind: "join",
          dialect: "msc4143",
          slotId,
          application,
          memberId,
          deviceId: deviceId as string,
          transports,
        };
  if (canSubscribe !== undefined) join.canSubscribe = canSubscribe;
  const intent = application["m.call.intent"];
  if (typeof intent === "string") join.callIntent = intent;
  join.stickyKey = stickyKey;
  return join;
}

/** `member.user_id` / `member.device_id`, or the sticky-v1 `claimed_` name when only that is set. */
function readClaimed(member: JsonRecord, name: string, claimedName: string): string {
  const key =
    field(member, name) === undefined && field(member, claimedName) !== undefined
      ? claimedName
      : name;
  const value = field(member, key);
  if (!isGoodString(value)) asString(value, `content.member.${key}`);
  return value as string;
}

function readStickyJoin(
  record: JsonRecord,
  stickyKey: string | undefined,
  reuse: ParseReuse | undefined,
): MembershipJoinContent {
  const slotId = readSlotId(field(record, "slot_id"));
  const application = readApplication(record, slotId, reuse);
  const member = asRecord(field(record, "member"), "content.member");
  const memberIdValue = field(member, "id");
  if (!isGoodString(memberIdValue)) asString(memberIdValue, "content.member.id");
  const claimedUserId = readClaimed(member, "user_id", "claimed_user_id");
  const deviceId = readClaimed(member, "device_id", "claimed_device_id");
  if (stickyKey === undefined) invalid("content.msc4354_sticky_key", "missing");
  const versions = field(record, "versions");
  const transports = readTransportSet(record, reuse);
  const canSubscribe = lastCanSubscribe;
  const join: Mutable<MembershipJoinContent> = {
    kind: "join",
    dialect: "sticky",
    slotId,
    application,
    memberId: memberIdValue as string,
    claimedUserId,
    deviceId,
    transports,
  };
  if (canSubscribe !== undefined) join.canSubscribe = canSubscribe;
  const intent = application["m.call.intent"];
  if (typeof intent === "string") join.callIntent = intent;
  join.stickyKey = stickyKey;
  // An empty versions array (what js-sdk 43 sends) is shared.
  if (versions !== undefined)
    join.versions = asStringArray(versions, "content.versions", EMPTY_STRINGS);
  return join;
}
