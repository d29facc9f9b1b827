import { legacyFieldsFromSlotId } from "./slot-id.js";

/**
 * True for room versions with user-owned state keys (MSC3757/MSC3779), where legacy membership
 * state keys are written without the leading `_`.
 *
 * @example
 * ```ts
 * isOwnedStateRoomVersion("org.matrix.msc3757.10"); // true
 * isOwnedStateRoomVersion("10"); // false
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/3757
 */
export function isOwnedStateRoomVersion(roomVersion: string): boolean {
  return /^org\.matrix\.msc(3757|3779)\b/.test(roomVersion);
}

/**
 * State key of a legacy membership: `_${userId}_${deviceId}_${application}${callId}`, without the
 * leading `_` in owned-state room versions.
 *
 * @remarks The default slot `m.call#ROOM` has `callId` `""`, giving `_@alice:example.org_AAAAAAA_m.call`;
 * other ids are appended with no separator (`m.call#x` → `…_m.callx`). User ids are opaque strings.
 * `ownedStateRoomVersion` defaults to false (see {@link isOwnedStateRoomVersion}).
 * @example
 * ```ts
 * legacyMembershipStateKey({ userId: "@alice:example.org", deviceId: "AAAAAAA", slotId: "m.call#ROOM" });
 * // "_@alice:example.org_AAAAAAA_m.call"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function legacyMembershipStateKey(input: {
  userId: string;
  deviceId: string;
  slotId: string;
  ownedStateRoomVersion?: boolean;
}): string {
  const { application, callId } = legacyFieldsFromSlotId(input.slotId);
  return `${input.ownedStateRoomVersion ? "" : "_"}${input.userId}_${input.deviceId}_${application}${callId}`;
}

/**
 * True when a legacy membership's state key names its sender: it must be
 * `_${sender}_${deviceId}_${application}${callId}`, the same without `_`, or the ancient per-user
 * key `${sender}`.
 *
 * @remarks The `_` prefix lets anyone allowed to send the event type write any key, so a reader
 * must check this. `sender` is compared as an opaque string, so pseudonymous and cryptographic
 * ids (MSC4014/MSC4080) work. Never throws (non-string input gives false).
 * @example
 * ```ts
 * isAuthenticLegacyStateKey("_@alice:example.org_AAAAAAA_m.call", { sender: "@alice:example.org", deviceId: "AAAAAAA", slotId: "m.call#ROOM" }); // true
 * isAuthenticLegacyStateKey("_@alice:example.org_AAAAAAA_m.call", { sender: "@mallory:example.org", deviceId: "AAAAAAA", slotId: "m.call#ROOM" }); // false
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function isAuthenticLegacyStateKey(
  stateKey: string,
  input: { sender: string; deviceId: string; slotId: string },
): boolean {
  const { sender, deviceId, slotId } = input ?? {};
  if (typeof stateKey !== "string" || typeof sender !== "string" || sender === "") return false;
  if (typeof deviceId !== "string" || typeof slotId !== "string") return false;
  if (stateKey === sender) return true;
  const { application, callId } = legacyFieldsFromSlotId(slotId);
  // A legacy `call_id: ""` reads as id ROOM for every application, so accept both spellings.
  const callIds = callId === "ROOM" ? [callId, ""] : [callId];
  return callIds.some((id) => {
    const owned = `${sender}_${deviceId}_${application}${id}`;
    return stateKey === owned || stateKey === `_${owned}`;
  });
}
