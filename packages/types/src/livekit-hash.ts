async function hashJsonArray(parts: readonly string[]): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(parts));
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bytes));
  let binary = "";
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, "");
}

/**
 * The LiveKit room name for a slot (MSC4195): unpadded standard base64 of SHA-256 of the JSON
 * array `[roomId, slotId]`.
 *
 * @remarks What lk-jwt-service's `/get_token` uses (its legacy `/sfu/get` uses slot `m.call#ROOM`).
 * Uses Web Crypto (`globalThis.crypto.subtle`): browsers (secure contexts) and Node ≥ 20.
 * @example
 * ```ts
 * await livekitRoomAlias("!roomid:example.com", "slot1234"); // "O8437W3+jmzMVjoIP3tNwbm+XxHQk2iKpOA7aqw3qSc"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function livekitRoomAlias(roomId: string, slotId: string): Promise<string> {
  return hashJsonArray([roomId, slotId]);
}

/**
 * The LiveKit participant identity of a sticky/MSC4143 member (MSC4195): unpadded standard base64
 * of SHA-256 of the JSON array `[userId, deviceId, memberId]`.
 *
 * @remarks Same as matrix-js-sdk's `computeRtcIdentityRaw` and lk-jwt-service's `/get_token`.
 * @example
 * ```ts
 * await livekitIdentity("@alice:example.com", "DEVICE123", "memberABC"); // "J+T45tGruxc+HrUOqJJlyQSV33m728Cme4+vt8/SWrU"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function livekitIdentity(
  userId: string,
  deviceId: string,
  memberId: string,
): Promise<string> {
  return hashJsonArray([userId, deviceId, memberId]);
}

/**
 * The LiveKit participant identity of a legacy (G1) member, as lk-jwt-service's `/sfu/get` issues
 * it: `${userId}:${deviceId}`.
 *
 * @remarks A legacy membership's `membershipID` defaults to the same string.
 * @example
 * ```ts
 * legacyLivekitIdentity("@alice:example.org", "AAAAAAA"); // "@alice:example.org:AAAAAAA"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function legacyLivekitIdentity(userId: string, deviceId: string): string {
  return `${userId}:${deviceId}`;
}
