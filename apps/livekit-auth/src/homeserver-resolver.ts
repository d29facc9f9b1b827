import { type Clock, systemClock } from "./clock.js";
import { LivekitAuthError } from "./livekit-auth-error.js";

/**
 * Turns a Matrix server name into the base URL of its homeserver.
 *
 * @example
 * ```ts
 * const baseUrl = await resolver.resolve("example.com");
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface HomeserverResolver {
  /** Base URL without trailing slash; throws `LivekitAuthError` (`homeserver-unreachable`) if it cannot be found. */
  resolve(serverName: string): Promise<string>;
}

/**
 * How long a discovered base URL is kept (4 h, as lk-jwt-service).
 *
 * @example
 * ```ts
 * createHomeserverResolver({ cacheMs: WELL_KNOWN_CACHE_MS / 4 });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export const WELL_KNOWN_CACHE_MS = 4 * 60 * 60 * 1000;

/**
 * Finds a homeserver's base URL: the override map first (`LIVEKIT_CS_API_URL_OVERRIDES`), then
 * `https://<name>/.well-known/matrix/client` → `m.homeserver.base_url` (cached 4 h), and when that
 * file is missing (404) `https://<name>`.
 *
 * @remarks One map serves both the OpenID userinfo check (federation path served by the
 * homeserver's `openid` listener) and the delayed-event calls (client-server API); lk-jwt-service
 * uses its overrides for the latter only. A server name with a path, user info or whitespace is
 * refused so a crafted `matrix_server_name` cannot steer requests elsewhere.
 * @example
 * ```ts
 * const resolver = createHomeserverResolver({ overrides: { localhost: "http://127.0.0.1:8008" } });
 * await resolver.resolve("localhost"); // "http://127.0.0.1:8008"
 * ```
 * @see https://spec.matrix.org/v1.16/client-server-api/#well-known-uris
 */
export function createHomeserverResolver(
  options: {
    /** Server name → base URL. Default none. */
    overrides?: Readonly<Record<string, string>>;
    /** Default `globalThis.fetch`. */
    fetch?: typeof fetch;
    /** Default the system clock. */
    clock?: Clock;
    /** Default {@link WELL_KNOWN_CACHE_MS}. */
    cacheMs?: number;
    /** Per request (default 10 000 ms). */
    timeoutMs?: number;
  } = {},
): HomeserverResolver {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const clock = options.clock ?? systemClock;
  const cacheMs = options.cacheMs ?? WELL_KNOWN_CACHE_MS;
  const cache = new Map<string, { url: string; expiresTs: number }>();
  return {
    async resolve(serverName) {
      const override = options.overrides?.[serverName];
      if (override !== undefined) return override.replace(/\/+$/, "");
      if (!/^[A-Za-z0-9.\-[\]:]+$/.test(serverName)) {
        throw unreachable(`invalid server name "${serverName}"`);
      }
      const cached = cache.get(serverName);
      if (cached !== undefined && cached.expiresTs > clock.now()) return cached.url;
      let url = `https://${serverName}`;
      try {
        const response = await fetchImpl(`https://${serverName}/.well-known/matrix/client`, {
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
          redirect: "follow",
        });
        if (response.ok) {
          const body = (await response.json()) as { "m.homeserver"?: { base_url?: unknown } };
          const baseUrl = body["m.homeserver"]?.base_url;
          if (typeof baseUrl !== "string" || !/^https?:\/\//.test(baseUrl)) {
            throw unreachable(`${serverName}: .well-known has no valid m.homeserver.base_url`);
          }
          url = baseUrl.replace(/\/+$/, "");
        } else if (response.status !== 404) {
          throw unreachable(`${serverName}: .well-known answered ${response.status}`);
        }
      } catch (error) {
        if (LivekitAuthError.isInstance(error)) throw error;
        throw unreachable(`${serverName}: .well-known lookup failed`, error);
      }
      cache.set(serverName, { url, expiresTs: clock.now() + cacheMs });
      return url;
    },
  };
}

function unreachable(message: string, cause?: unknown): LivekitAuthError {
  return new LivekitAuthError("homeserver-unreachable", message, { cause });
}
