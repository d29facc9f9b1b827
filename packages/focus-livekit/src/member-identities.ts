import type { FocusMemberV1 } from "@mxrtc/focus";
import { legacyLivekitIdentity, livekitIdentity } from "@mxrtc/types";

/**
 * The LiveKit identities a MatrixRTC member may appear under, mapped back to the member.
 *
 * @remarks A member's dialect is not in {@link FocusMemberV1}, and which identity the SFU shows
 * depends on the endpoint the member's client got its token from, so every member is entered
 * twice: the MSC4195 identity `base64(sha256(JSON([userId, deviceId, memberId])))` (`/get_token`,
 * sticky and MSC4143 members) and the legacy `${userId}:${deviceId}` (`/sfu/get`, legacy members).
 * The local member and malformed entries are skipped. Without Web Crypto (`crypto.subtle` is
 * missing in insecure browser contexts) only the legacy identities are mapped. When two members claim one legacy identity
 * (two memberships of one device), the one listed first keeps it.
 *
 * @example
 * ```ts
 * const identities = await memberIdentities(
 *   [{ userId: "@alice:example.com", deviceId: "DEVICE123", memberId: "memberABC", transports: [] }],
 *   "my-member-id",
 * );
 * identities.get("J+T45tGruxc+HrUOqJJlyQSV33m728Cme4+vt8/SWrU")?.userId; // "@alice:example.com"
 * identities.get("@alice:example.com:DEVICE123")?.userId; // "@alice:example.com"
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function memberIdentities(
  members: unknown,
  localMemberId: string,
): Promise<ReadonlyMap<string, FocusMemberV1>> {
  const byIdentity = new Map<string, FocusMemberV1>();
  if (!Array.isArray(members)) return byIdentity;
  const valid: FocusMemberV1[] = [];
  for (const member of members as readonly unknown[]) {
    if (typeof member !== "object" || member === null) continue;
    const candidate = member as Partial<Record<keyof FocusMemberV1, unknown>>;
    if (typeof candidate.userId !== "string" || typeof candidate.deviceId !== "string") continue;
    if (typeof candidate.memberId !== "string" || candidate.memberId === localMemberId) continue;
    valid.push(member as FocusMemberV1);
  }
  // Without Web Crypto (an insecure browser context) only the legacy identities can be mapped.
  const hashed = await Promise.all(
    valid.map((member) => livekitIdentity(member.userId, member.deviceId, member.memberId)),
  ).catch((): readonly string[] => []);
  valid.forEach((member, index) => {
    const identity = hashed[index];
    if (identity !== undefined) byIdentity.set(identity, member);
  });
  for (const member of valid) {
    const legacy = legacyLivekitIdentity(member.userId, member.deviceId);
    if (!byIdentity.has(legacy)) byIdentity.set(legacy, member);
  }
  return byIdentity;
}
