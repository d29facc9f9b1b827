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
  const problem = slotIdProblem(slotId);
  if (problem !== undefined) return { ok: false, error: { path: "slot_id", message: problem } };
  const hash = slotId.indexOf("#");
  return { ok: true, value: { application: slotId.slice(0, hash), id: slotId.slice(hash + 1) } };
}

/** Why `slotId` is not a valid slot id (the message {@link parseSlotId} gives), or undefined. Allocates nothing when valid. */
export function slotIdProblem(slotId: string): string | undefined {
  if (typeof slotId !== "string") return "expected a string";
  if (slotId.length > PARSE_LIMITS.maxStringLength)
    return `longer than ${PARSE_LIMITS.maxStringLength} characters`;
  const hash = slotId.indexOf("#");
  if (hash < 0 || slotId.indexOf("#", hash + 1) >= 0)
    return `expected exactly one "#", found ${slotId.split("#").length - 1}`;
  if (hash === 0) return "the application part before '#' is empty";
  if (hash === slotId.length - 1) return "the id part after '#' is empty";
  return undefined;
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
