import { join } from "node:path";

/** Rate-limit profile: `default` is generous everywhere; `tight-rate-limits` makes 429s easy. */
export type SynapseProfile = "default" | "tight-rate-limits";

/** Inputs of {@link buildSynapseConfig}. Paths must be absolute: Synapse expands nothing. */
export interface SynapseConfigInput {
  readonly port: number;
  readonly dataDir: string;
  readonly serverName: string;
  readonly registrationSharedSecret: string;
  readonly macaroonSecretKey: string;
  readonly profile: SynapseProfile;
  /** `matrix_rtc.transports` and `.well-known` `org.matrix.msc4143.rtc_foci` (default none). */
  readonly transports?: readonly Record<string, unknown>[];
}

const generous = { per_second: 10_000, burst_count: 100_000 };

/** Every `rc_*` key Synapse 1.163 reads, raised so functional tests never see a 429. */
function generousRateLimits(): Record<string, unknown> {
  return {
    rc_message: generous,
    rc_registration: generous,
    rc_registration_token_validity: generous,
    rc_login: { address: generous, account: generous, failed_attempts: generous },
    rc_admin_redaction: generous,
    rc_joins: { local: generous, remote: generous },
    rc_joins_per_room: generous,
    rc_3pid_validation: generous,
    rc_invites: { per_room: generous, per_user: generous, per_issuer: generous },
    rc_third_party_invite: generous,
    rc_media_create: generous,
    rc_presence: { per_user: generous },
    rc_delayed_event_mgmt: generous,
    rc_room_creation: generous,
    rc_reports: generous,
    rc_user_directory: generous,
    rc_profile: generous,
    rc_key_requests: generous,
    rc_federation: {
      window_size: 1000,
      sleep_limit: 10_000,
      sleep_delay: 1,
      reject_limit: 10_000,
      concurrent: 1000,
    },
  };
}

/**
 * Limits of the `tight-rate-limits` profile: 3 requests in a burst, then one per second.
 *
 * @remarks A burst of 5 messages (or delayed-event restarts) gets a 429 with `retry_after_ms`
 * about 1000; the bucket refills within 3 s.
 */
export const TIGHT_RATE_LIMIT = { per_second: 1, burst_count: 3 } as const;

/**
 * The complete Synapse config (as a JSON-compatible object; JSON is valid YAML) for a loopback
 * test server: sqlite, client + openid listener on 127.0.0.1, MSC4140 delayed events (24 h,
 * 1000 per user), MSC4354 sticky events, MSC4143 transports, no federation, no stats.
 *
 * @example
 * ```ts
 * const config = buildSynapseConfig({ port: 8008, dataDir: "/tmp/hs", serverName: "localhost",
 *   registrationSharedSecret: "s", macaroonSecretKey: "m", profile: "default" });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function buildSynapseConfig(input: SynapseConfigInput): Record<string, unknown> {
  const baseUrl = `http://127.0.0.1:${input.port}`;
  const transports = input.transports ?? [];
  const config: Record<string, unknown> = {
    server_name: input.serverName,
    public_baseurl: `${baseUrl}/`,
    pid_file: join(input.dataDir, "homeserver.pid"),
    listeners: [
      {
        port: input.port,
        bind_addresses: ["127.0.0.1"],
        type: "http",
        tls: false,
        x_forwarded: false,
        resources: [{ names: ["client", "openid"], compress: false }],
      },
    ],
    database: { name: "sqlite3", args: { database: join(input.dataDir, "homeserver.db") } },
    log_config: join(input.dataDir, "log.config"),
    media_store_path: join(input.dataDir, "media_store"),
    signing_key_path: join(input.dataDir, "signing.key"),
    registration_shared_secret: input.registrationSharedSecret,
    macaroon_secret_key: input.macaroonSecretKey,
    form_secret: input.macaroonSecretKey,
    enable_registration: false,
    report_stats: false,
    enable_metrics: false,
    url_preview_enabled: false,
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    federation_domain_whitelist: [],
    serve_client_wellknown: true,
    extra_well_known_client_content:
      transports.length > 0 ? { "org.matrix.msc4143.rtc_foci": transports } : {},
    max_event_delay_duration: "24h",
    experimental_features: {
      msc4140_max_delayed_events_per_user: 1000,
      msc4354_enabled: true,
      msc4143_enabled: true,
    },
    matrix_rtc: { transports },
    ...generousRateLimits(),
  };
  if (input.profile === "tight-rate-limits") {
    config.rc_message = TIGHT_RATE_LIMIT;
    config.rc_delayed_event_mgmt = TIGHT_RATE_LIMIT;
  }
  return config;
}

/** Python logging config for Synapse: INFO to `homeserver.log` in the data dir, SQL at WARNING. */
export function buildSynapseLogConfig(dataDir: string): Record<string, unknown> {
  return {
    version: 1,
    formatters: {
      precise: { format: "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(message)s" },
    },
    handlers: {
      file: {
        class: "logging.FileHandler",
        formatter: "precise",
        filename: join(dataDir, "homeserver.log"),
        encoding: "utf8",
      },
    },
    loggers: {
      "synapse.storage.SQL": { level: "WARNING" },
      "synapse.storage.txn": { level: "WARNING" },
      twisted: { level: "WARNING" },
    },
    root: { level: "INFO", handlers: ["file"] },
    disable_existing_loggers: false,
  };
}
