import { readLeaveReason } from "./leave-reason.js";
import type {
  MembershipContent,
  MembershipJoinContent,
  RtcApplication,
} from "./membership-content.js";
import type { ParseResult } from "./parse-result.js";
import {
  asRecord,
  asString,
  asStringArray,
  copyJson,
  field,
  guard,
  invalid,
  isRecord,
  type JsonRecord,
  optionalString,
} from "./read.js";
import { parseSlotId } from "./slot-id.js";
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
 * @example
 * ```ts
 * const result = parseRtcMemberContent({ msc4354_sticky_key: "abc" });
 * // { ok: true, value: { kind: "leave", dialect: "sticky", stickyKey: "abc" } }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function parseRtcMemberContent(content: unknown): ParseResult<MembershipContent> {
  return guard("content", (): MembershipContent => {
    const record = asRecord(content, "content");
    const stickyKey = readStickyKey(record);
    const member = field(record, "member");
    if (isRecord(member) && field(member, "membership") !== undefined)
      return readMsc4143(record, member, stickyKey);
    if (member === undefined && field(record, "application") === undefined) {
      if (stickyKey === undefined)
        invalid("content.msc4354_sticky_key", "missing: a leave needs a sticky key");
      const slotValue = field(record, "slot_id");
      const reason = field(record, "leave_reason");
      return {
        kind: "leave",
        dialect: "sticky",
        stickyKey,
        ...(slotValue !== undefined && { slotId: readSlotId(slotValue) }),
        ...(reason !== undefined && {
          leaveReason: readLeaveReason(reason, "content.leave_reason"),
        }),
      };
    }
    return readStickyJoin(record, stickyKey);
  });
}

function readStickyKey(record: JsonRecord): string | undefined {
  const stable = field(record, "sticky_key");
  const unstable = field(record, "msc4354_sticky_key");
  const key = stable === undefined ? undefined : asString(stable, "content.sticky_key");
  const unstableKey =
    unstable === undefined ? undefined : asString(unstable, "content.msc4354_sticky_key");
  if (key !== undefined && unstableKey !== undefined && key !== unstableKey) {
    invalid("content.sticky_key", "differs from msc4354_sticky_key");
  }
  return key ?? unstableKey;
}

function readSlotId(value: unknown): string {
  const slotId = asString(value, "content.slot_id");
  const slot = parseSlotId(slotId);
  if (!slot.ok) invalid("content.slot_id", slot.error.message);
  return slotId;
}

function readApplication(record: JsonRecord, slotId: string): RtcApplication {
  const application = copyJson(
    asRecord(field(record, "application"), "content.application"),
    "content.application",
  );
  const type = asString(field(application as JsonRecord, "type"), "content.application.type");
  if (!slotId.startsWith(`${type}#`) || type.includes("#")) {
    invalid("content.application.type", `does not match slot_id ${JSON.stringify(slotId)}`);
  }
  return application as RtcApplication;
}

function readTransportSet(
  record: JsonRecord,
): Pick<MembershipJoinContent, "transports" | "canSubscribe"> {
  const value = field(record, "transports");
  if (value === undefined) {
    const legacy = field(record, "rtc_transports");
    return {
      transports:
        legacy === undefined ? Object.freeze([]) : readTransports(legacy, "content.rtc_transports"),
    };
  }
  const set = asRecord(value, "content.transports");
  const published = field(set, "published");
  const canSubscribe = field(set, "can_subscribe");
  const transports: readonly RtcTransport[] =
    published === undefined
      ? Object.freeze([])
      : readTransports(published, "content.transports.published");
  return canSubscribe === undefined
    ? { transports }
    : { transports, canSubscribe: asStringArray(canSubscribe, "content.transports.can_subscribe") };
}

function intentOf(application: RtcApplication): { callIntent?: string } {
  const intent = application["m.call.intent"];
  return typeof intent === "string" ? { callIntent: intent } : {};
}

function readMsc4143(
  record: JsonRecord,
  member: JsonRecord,
  stickyKey: string | undefined,
): MembershipContent {
  const memberId = asString(field(member, "id"), "content.member.id");
  if (stickyKey === undefined) invalid("content.sticky_key", "missing");
  if (stickyKey !== memberId) invalid("content.sticky_key", "must equal member.id");
  const slotId = readSlotId(field(record, "slot_id"));
  const membership = field(member, "membership");
  if (membership === "leave") {
    const reason = field(record, "leave_reason");
    return {
      kind: "leave",
      dialect: "msc4143",
      slotId,
      stickyKey,
      memberId,
      ...(reason !== undefined && { leaveReason: readLeaveReason(reason, "content.leave_reason") }),
    };
  }
  if (membership !== "join") invalid("content.member.membership", 'expected "join" or "leave"');
  const application = readApplication(record, slotId);
  const deviceId = optionalString(member, "claimed_device_id", "content.member");
  return {
    kind: "join",
    dialect: "msc4143",
    slotId,
    application,
    memberId,
    ...(deviceId !== undefined && { deviceId }),
    ...readTransportSet(record),
    ...intentOf(application),
    stickyKey,
  };
}

function readStickyJoin(record: JsonRecord, stickyKey: string | undefined): MembershipJoinContent {
  const slotId = readSlotId(field(record, "slot_id"));
  const application = readApplication(record, slotId);
  const member = asRecord(field(record, "member"), "content.member");
  const claimed = (name: string) => {
    const key =
      field(member, name) === undefined && field(member, `claimed_${name}`) !== undefined
        ? `claimed_${name}`
        : name;
    return asString(field(member, key), `content.member.${key}`);
  };
  const memberId = asString(field(member, "id"), "content.member.id");
  const claimedUserId = claimed("user_id");
  const deviceId = claimed("device_id");
  if (stickyKey === undefined) invalid("content.msc4354_sticky_key", "missing");
  const versions = field(record, "versions");
  return {
    kind: "join",
    dialect: "sticky",
    slotId,
    application,
    memberId,
    claimedUserId,
    deviceId,
    ...readTransportSet(record),
    ...intentOf(application),
    stickyKey,
    ...(versions !== undefined && { versions: asStringArray(versions, "content.versions") }),
  };
}
