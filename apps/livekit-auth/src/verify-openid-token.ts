import type { HomeserverResolver } from "./homeserver-resolver.js";
import { LivekitAuthError } from "./livekit-auth-error.js";

/**
 * The OpenID token a client got from `POST /_matrix/client/v3/user/{userId}/openid/request_token`.
 *
 * @example
 * ```ts
 * const token: OpenIdTokenInput = { access_token: "…", token_type: "Bearer", matrix_server_name: "example.com", expires_in: 3600 };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface OpenIdTokenInput {
  readonly access_token: string;
  readonly token_type?: string;
  readonly matrix_server_name: string;
  readonly expires_in?: number;
}

/**
 * Who the token belongs to, and where that user's homeserver is.
 *
 * @example
 * ```ts
 * const { userId, homeserverUrl } = await verifyOpenIdToken(token, { resolver });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface VerifiedOpenIdUser {
  /** The token's `sub`. */
  readonly userId: string;
  /** The token's `matrix_server_name`. */
  readonly serverName: string;
  /** The homeserver base URL the token was checked with (also used for delayed events). */
  readonly homeserverUrl: string;
}

/**
 * Checks an OpenID token with its own homeserver (`GET
 * /_matrix/federation/v1/openid/userinfo?access_token=…`) and returns its user.
 *
 * @remarks Refuses (401 `M_UNAUTHORIZED`) when the homeserver rejects the token, cannot be
 * reached, answers without a `sub`, or names a user of another server (a homeserver vouches
 * only for its own users). Never throws anything but a {@link LivekitAuthError}.
 * @example
 * ```ts
 * const user = await verifyOpenIdToken(body.openid_token, { resolver, fetch });
 * ```
 * @see https://spec.matrix.org/v1.16/server-server-api/#openid
 */
export async function verifyOpenIdToken(
  token: OpenIdTokenInput,
  options: { resolver: HomeserverResolver; fetch?: typeof fetch; timeoutMs?: number },
): Promise<VerifiedOpenIdUser> {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let homeserverUrl: string;
  try {
    homeserverUrl = await options.resolver.resolve(token.matrix_server_name);
  } catch (error) {
    throw unauthorized(`cannot find homeserver of ${token.matrix_server_name}`, error);
  }
  const url = `${homeserverUrl}/_matrix/federation/v1/openid/userinfo?access_token=${encodeURIComponent(token.access_token)}`;
  let response: Response;
  let body: unknown;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    body = await response.json().catch(() => undefined);
  } catch (error) {
    throw unauthorized(`homeserver ${token.matrix_server_name} did not answer`, error);
  }
  if (!response.ok) {
    throw unauthorized(`homeserver refused the OpenID token (${response.status})`);
  }
  const sub = (body as { sub?: unknown } | undefined)?.sub;
  if (typeof sub !== "string" || !sub.startsWith("@")) {
    throw unauthorized("homeserver answered without a user id");
  }
  if (sub.slice(sub.indexOf(":") + 1) !== token.matrix_server_name) {
    throw unauthorized(`${token.matrix_server_name} vouched for a user of another server`);
  }
  return { userId: sub, serverName: token.matrix_server_name, homeserverUrl };
}

function unauthorized(message: string, cause?: unknown): LivekitAuthError {
  return new LivekitAuthError("http", `The request could not be authorised: ${message}`, {
    status: 401,
    errcode: "M_UNAUTHORIZED",
    cause,
  });
}
