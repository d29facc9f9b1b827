import type { Clock } from "./clock.js";
import type { DelegationStore } from "./delegation-store.js";
import type { LivekitApiPort } from "./livekit-api.js";
import type { Logger, LogLevel } from "./logger.js";

/**
 * Everything {@link createLivekitAuthService} needs. {@link loadConfigFromEnv} builds it from
 * lk-jwt-service's environment variables; tests build it directly and inject fakes.
 *
 * @example
 * ```ts
 * const service = createLivekitAuthService({
 *   livekitUrl: "wss://sfu.example.com", apiKey: "devkey", apiSecret: "a-secret-of-at-least-32-characters-long",
 *   fullAccessHomeservers: ["example.com"],
 * });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface LivekitAuthConfig {
  /** `LIVEKIT_URL`: the SFU URL handed to clients (`wss://…`). */
  readonly livekitUrl: string;
  /** URL of the LiveKit server API. Default: `livekitUrl` with `ws` → `http`, `wss` → `https`. */
  readonly livekitApiUrl?: string;
  /** `LIVEKIT_KEY`. */
  readonly apiKey: string;
  /** `LIVEKIT_SECRET`. */
  readonly apiSecret: string;
  /** `LIVEKIT_FULL_ACCESS_HOMESERVERS`: server names whose users may create rooms and delegate; `"*"` = all. */
  readonly fullAccessHomeservers: readonly string[];
  /** Host to bind (from `LIVEKIT_JWT_BIND`). Default: all interfaces. */
  readonly bindHost?: string;
  /** Port to bind (from `LIVEKIT_JWT_BIND` / `LIVEKIT_JWT_PORT`). Default 8080. */
  readonly bindPort?: number;
  /** `LIVEKIT_SANITY_CHECK_INTERVAL_SECONDS` × 1000: poll a connected participant this often; 0 = off. Default 60 000. */
  readonly sanityCheckIntervalMs?: number;
  /** `LIVEKIT_LOG_LEVEL`. Default `"info"`. */
  readonly logLevel?: LogLevel;
  /** `LIVEKIT_CS_API_URL_OVERRIDES`: server name → homeserver base URL (client-server API AND the OpenID userinfo endpoint). Default none. */
  readonly homeserverUrlOverrides?: Readonly<Record<string, string>>;
  /** `LIVEKIT_REDIS_URL`: share delegation jobs between instances through Redis. Default: unset (SQLite). */
  readonly redisUrl?: string;
  /** `LIVEKIT_DELEGATION_DB`: SQLite file for delegation jobs when no Redis is configured. Default `$XDG_DATA_HOME/mxrtc-livekit-auth/delegations.sqlite` (see {@link defaultDelegationDbPath}); `":memory:"` keeps nothing. */
  readonly delegationDbPath?: string;
  /** `LIVEKIT_INSECURE_SKIP_VERIFY_TLS=YES_I_KNOW_WHAT_I_AM_DOING`: the binary then disables TLS verification process-wide. Default false. */
  readonly insecureSkipVerifyTls?: boolean;
  /** Largest accepted request body in bytes; bigger answers 413 `M_TOO_LARGE`. Default 65 536 (webhooks: 16×). */
  readonly maxBodyBytes?: number;
  /** Smallest `delay_timeout` accepted (ms); smaller answers 400 `M_BAD_JSON`. Default 1 (any positive value). */
  readonly minDelayTimeoutMs?: number;
  /** `LIVEKIT_DELEGATION_LEASE_SECONDS` × 1000: how long an instance owns a job without renewing (Redis takeover delay). Default 15 000 ms. */
  readonly leaseMs?: number;
  /** Name of this instance in job ownership records. Default: random. */
  readonly instanceId?: string;
  /** HTTP client for homeservers. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Time source. Default the system clock. */
  readonly clock?: Clock;
  /** LiveKit server API. Default: a `RoomServiceClient` on `livekitApiUrl`. */
  readonly livekitApi?: LivekitApiPort;
  /** Delegation job store. Default: Redis if `redisUrl`, else SQLite at `delegationDbPath`. */
  readonly delegationStore?: DelegationStore;
  /** Where log lines go. Default: standard error at `logLevel`. */
  readonly logger?: Logger;
}
