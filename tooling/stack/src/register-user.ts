import { createHmac, randomBytes } from "node:crypto";
import { matrixRequest } from "./matrix-http.js";
import type { SynapseInfo } from "./start-synapse.js";

/** A freshly registered, logged-in user. */
export interface RegisteredUser {
  readonly userId: string;
  readonly accessToken: string;
  readonly deviceId: string;
  readonly password: string;
}

let counter = 0;

/**
 * Registers a user through Synapse's shared-secret admin API and returns a logged-in session.
 *
 * @remarks Fetches a nonce from `GET /_synapse/admin/v1/register`, signs
 * `nonce NUL user NUL password NUL (admin|notadmin)` with HMAC-SHA1 keyed by the shared secret,
 * and POSTs it. Defaults: `localpart` unique (`user-<time>-<n>`), a random password,
 * `admin` false. With `deviceId`, the user then logs in with that device id (a second access
 * token); otherwise the registration's own session and device are returned.
 *
 * @example
 * ```ts
 * const alice = await registerUser(synapse, { localpart: "alice" });
 * ```
 */
export async function registerUser(
  info: SynapseInfo,
  options: { localpart?: string; deviceId?: string; admin?: boolean } = {},
): Promise<RegisteredUser> {
  counter += 1;
  const localpart =
    options.localpart ?? `user-${Date.now().toString(36)}-${process.pid}-${counter}`;
  const password = randomBytes(12).toString("hex");
  const admin = options.admin ?? false;
  const { nonce } = await matrixRequest<{ nonce: string }>(
    info.baseUrl,
    "GET",
    "/_synapse/admin/v1/register",
  );
  const mac = createHmac("sha1", info.registrationSharedSecret)
    .update([nonce, localpart, password, admin ? "admin" : "notadmin"].join("\0"))
    .digest("hex");
  const registered = await matrixRequest<{
    user_id: string;
    access_token: string;
    device_id: string;
  }>(info.baseUrl, "POST", "/_synapse/admin/v1/register", {
    body: { nonce, username: localpart, password, admin, mac },
  });
  if (options.deviceId === undefined) {
    return {
      userId: registered.user_id,
      accessToken: registered.access_token,
      deviceId: registered.device_id,
      password,
    };
  }
  const login = await matrixRequest<{ user_id: string; access_token: string; device_id: string }>(
    info.baseUrl,
    "POST",
    "/_matrix/client/v3/login",
    {
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: localpart },
        password,
        device_id: options.deviceId,
      },
    },
  );
  return {
    userId: login.user_id,
    accessToken: login.access_token,
    deviceId: login.device_id,
    password,
  };
}
