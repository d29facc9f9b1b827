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
  // Compared in place (no candidate strings are built): this runs for every legacy event.
  const hash = slotId.indexOf("#");
  const applicationEnd = hash < 0 ? slotId.length : hash;
  const idStart = hash < 0 ? slotId.length : hash + 1;
  const idLength = slotId.length - idStart;
  const isRoom = idLength === 4 && slotId.endsWith("ROOM");
  // legacyFieldsFromSlotId: m.call#ROOM has call id "", any other ROOM id is "ROOM" (or "").
  const defaultCall = isRoom && applicationEnd === 6 && slotId.startsWith("m.call");
  return (
    ownedKeyMatches(
      stateKey,
      0,
      sender,
      deviceId,
      slotId,
      applicationEnd,
      idStart,
      defaultCall,
      isRoom,
    ) ||
    (stateKey.charCodeAt(0) === 95 &&
      ownedKeyMatches(
        stateKey,
        1,
        sender,
        deviceId,
        slotId,
        applicationEnd,
        idStart,
        defaultCall,
        isRoom,
      ))
  );
}

/** `stateKey` from `offset` is `${sender}_${deviceId}_${application}${callId}` for an accepted call id. */
function ownedKeyMatches(
  stateKey: string,
  offset: number,
  sender: string,
  deviceId: string,
  slotId: string,
  applicationEnd: number,
  idStart: number,
  defaultCall: boolean,
  isRoom: boolean,
): boolean {
  if (!stateKey.startsWith(sender, offset)) return false;
  let at = offset + sender.length;
  if (stateKey.charCodeAt(at) !== 95 || !stateKey.startsWith(deviceId, at + 1)) return false;
  at += 1 + deviceId.length;
  if (stateKey.charCodeAt(at) !== 95 || !regionMatches(stateKey, at + 1, slotId, 0, applicationEnd))
    return false;
  at += 1 + applicationEnd;
  const rest = stateKey.length - at;
  if (rest === 0) return defaultCall || isRoom || idStart === slotId.length;
  if (defaultCall) return false;
  return (
    rest === slotId.length - idStart && regionMatches(stateKey, at, slotId, idStart, slotId.length)
  );
}

/** Whether `text` from `offset` holds `source[start, end)`. */
function regionMatches(text: string, offset: number, source: string, start: number, end: number) {
  if (text.length - offset < end - start) return false;
  for (let index = start; index < end; index++) {
    if (text.charCodeAt(offset + index - start) !== source.charCodeAt(index)) return false;
  }
  return true;
}
