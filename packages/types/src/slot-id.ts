import { PARSE_LIMITS } from "./constants.js";
import type { ParseResult } from "./parse-result.js";

/**
 * Splits a slot id `"{application}#{id}"` into its parts.
 *
 * @remarks A valid slot id has exactly one `#`, neither part empty, and is at most
 * {@link PARSE_LIMITS.maxStringLength} characters. Never throws.
 * @example
 * ```ts
 * parseSlotId("m.call#ROOM"); // { ok: true, value: { application: "m.call", id: "ROOM" } }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function parseSlotId(
  slotId: string,
): ParseResult<{ readonly application: string; readonly id: string }> {
  const fail = (message: string) => ({ ok: false, error: { path: "slot_id", message } }) as const;
  if (typeof slotId !== "string") return fail("expected a string");
  if (slotId.length > PARSE_LIMITS.maxStringLength)
    return fail(`longer than ${PARSE_LIMITS.maxStringLength} characters`);
  const parts = slotId.split("#");
  if (parts.length !== 2) return fail(`expected exactly one "#", found ${parts.length - 1}`);
  const [application = "", id = ""] = parts;
  if (application === "") return fail("the application part before '#' is empty");
  if (id === "") return fail("the id part after '#' is empty");
  return { ok: true, value: { application, id } };
}

/**
 * Slot id of a legacy membership: `${application}#${callId}`, with the empty room call id mapped to
 * `ROOM` (so `("m.call", "")` gives `"m.call#ROOM"`).
 *
 * @remarks matrix-js-sdk applies the `""` → `ROOM` rewrite for `m.call`; this applies it for every
 * application, because `"app#"` would not be a valid slot id.
 * @example
 * ```ts
 * slotIdFromLegacy("m.call", ""); // "m.call#ROOM"
 * slotIdFromLegacy("m.call", "standup"); // "m.call#standup"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function slotIdFromLegacy(application: string, callId: string): string {
  return `${application}#${callId === "" ? "ROOM" : callId}`;
}

/**
 * Inverse of {@link slotIdFromLegacy}: the `application` and `call_id` a legacy event carries for
 * a slot. `m.call#ROOM` gives `call_id: ""` (matrix-js-sdk's "legacy case").
 *
 * @remarks Never throws: splits at the first `#`; a string without `#` is all application.
 * Validate with {@link parseSlotId} first if the input is untrusted.
 * @example
 * ```ts
 * legacyFieldsFromSlotId("m.call#ROOM"); // { application: "m.call", callId: "" }
 * legacyFieldsFromSlotId("m.call#standup"); // { application: "m.call", callId: "standup" }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function legacyFieldsFromSlotId(slotId: string): {
  readonly application: string;
  readonly callId: string;
} {
  const hash = slotId.indexOf("#");
  if (hash < 0) return { application: slotId, callId: "" };
  const application = slotId.slice(0, hash);
  const id = slotId.slice(hash + 1);
  return { application, callId: application === "m.call" && id === "ROOM" ? "" : id };
}
