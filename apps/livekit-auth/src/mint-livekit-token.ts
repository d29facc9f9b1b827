import { AccessToken } from "livekit-server-sdk";

/**
 * Lifetime of a minted JWT (1 h, as lk-jwt-service).
 *
 * @example
 * ```ts
 * const expiresTs = Date.now() + TOKEN_TTL_SECONDS * 1000;
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export const TOKEN_TTL_SECONDS = 3600;

/**
 * Mints the participant JWT exactly as lk-jwt-service grants it: `roomJoin`, `roomCreate: false`,
 * `canPublish`, `canSubscribe`, `canUpdateOwnMetadata`, `room` = the alias, `sub` = the identity,
 * valid one hour.
 *
 * @example
 * ```ts
 * const jwt = await mintLivekitToken({ apiKey, apiSecret, roomAlias, identity });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function mintLivekitToken(input: {
  apiKey: string;
  apiSecret: string;
  roomAlias: string;
  identity: string;
}): Promise<string> {
  const token = new AccessToken(input.apiKey, input.apiSecret, {
    identity: input.identity,
    ttl: TOKEN_TTL_SECONDS,
  });
  token.addGrant({
    roomJoin: true,
    roomCreate: false,
    canPublish: true,
    canSubscribe: true,
    canUpdateOwnMetadata: true,
    room: input.roomAlias,
  });
  return await token.toJwt();
}
