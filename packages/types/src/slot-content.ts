import type { RtcApplication } from "./membership-content.js";
import type { ParseResult } from "./parse-result.js";
import { asRecord, asString, copyJson, field, guard, invalid, type JsonRecord } from "./read.js";
import { parseSlotId } from "./slot-id.js";

/**
 * Normalised content of an `m.rtc.slot` state event.
 *
 * @remarks Members may only be counted as joined while the slot of their `slot_id` is `open`.
 * `encryption` absent means media encryption is disabled for the slot.
 * @example
 * ```ts
 * const slot: RtcSlotContent = { status: "open", application: { type: "m.call" }, encryption: { type: "m.per_member" } };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcSlotContent {
  readonly status: "open" | "closed";
  readonly application?: RtcApplication;
  readonly encryption?: { readonly type: string };
}

/**
 * Parses the content of an `m.rtc.slot` / `org.matrix.msc4143.rtc.slot` state event. Never throws.
 *
 * @remarks Latest draft: `status` `"open"` | `"closed"`; an open slot needs `application` whose
 * `type` equals the state key's application part. Sticky-v1 draft (no `status`): `{}` is closed,
 * content with an `application` is open. `encryption` must be `{ type: string }` when present.
 * A slot that fails these rules gives an error; MSC4143 says to treat such a slot as closed.
 * @param content - the untrusted event content.
 * @param stateKey - the event's state key (the slot id).
 * @example
 * ```ts
 * parseSlotContent({ status: "open", application: { type: "m.call" } }, "m.call#ROOM");
 * // { ok: true, value: { status: "open", application: { type: "m.call" } } }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function parseSlotContent(content: unknown, stateKey: string): ParseResult<RtcSlotContent> {
  return guard("content", (): RtcSlotContent => {
    const slot = parseSlotId(stateKey);
    if (!slot.ok) invalid("state_key", slot.error.message);
    const record = asRecord(content, "content");
    const statusValue = field(record, "status");
    const applicationValue = field(record, "application");
    let status: "open" | "closed";
    if (statusValue === undefined) {
      if (Object.keys(record).length === 0) return { status: "closed" };
      status = "open";
    } else if (statusValue === "open" || statusValue === "closed") {
      status = statusValue;
    } else {
      invalid("content.status", 'expected "open" or "closed"');
    }
    let application: RtcApplication | undefined;
    if (applicationValue !== undefined || status === "open") {
      application = copyJson(
        asRecord(applicationValue, "content.application"),
        "content.application",
      ) as RtcApplication;
      const type = asString(field(application as JsonRecord, "type"), "content.application.type");
      if (type !== slot.value.application)
        invalid("content.application.type", `does not match state key ${JSON.stringify(stateKey)}`);
    }
    const encryptionValue = field(record, "encryption");
    const encryption =
      encryptionValue === undefined
        ? undefined
        : {
            type: asString(
              field(asRecord(encryptionValue, "content.encryption"), "type"),
              "content.encryption.type",
            ),
          };
    return {
      status,
      ...(application !== undefined && { application }),
      ...(encryption !== undefined && { encryption }),
    };
  });
}
