/** The STUN server handed to clients: loopback, nothing listens (UDP discard port). */
export const UNREACHABLE_LOOPBACK_STUN_SERVER = "127.0.0.1:9";

/** Inputs of {@link buildLivekitConfig}. */
export interface LivekitConfigInput {
  /** HTTP/WebSocket + API port on 127.0.0.1. */
  readonly port: number;
  /** The single UDP port for media (ICE/UDP mux). */
  readonly udpPort: number;
  readonly apiKey: string;
  /** At least 32 characters (livekit-server refuses shorter secrets). */
  readonly apiSecret: string;
  /** Webhook receivers; signed with `apiKey` (default none: no webhook section). */
  readonly webhookUrls?: readonly string[];
  /** livekit's log level (default `"info"`). */
  readonly logLevel?: "debug" | "info" | "warn" | "error";
}

/**
 * livekit-server's config for one loopback server, as a plain object (written as JSON, which
 * livekit's YAML loader reads).
 *
 * @remarks Everything stays on 127.0.0.1: `bind_addresses` for HTTP/WS, `rtc.node_ip`
 * 127.0.0.1 with `use_external_ip: false` (no STUN lookup of a public address), `rtc.ips.includes`
 * 127.0.0.1/32 so ICE candidates are gathered and the UDP mux listens only on loopback,
 * `enable_loopback_candidate`, `tcp_port: 0` (the ICE/TCP listener would bind every interface),
 * TURN off, mDNS off, and `stun_servers` set to `127.0.0.1:9` (nothing answers there): without
 * it livekit hands clients public STUN servers in the join response. It must not be the SFU's own
 * UDP port: Chromium treats every packet from a STUN server's address as a STUN reply and drops
 * the SFU's ICE checks, so IPv4 loopback never connects. `room.auto_create: false`
 * (the auth service creates rooms). Prometheus stays off (no port), pion logs at error.
 *
 * @example
 * ```ts
 * const config = buildLivekitConfig({ port: 7880, udpPort: 7882, apiKey: "devkey", apiSecret: "x".repeat(32) });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function buildLivekitConfig(input: LivekitConfigInput): Record<string, unknown> {
  const webhookUrls = input.webhookUrls ?? [];
  return {
    port: input.port,
    bind_addresses: ["127.0.0.1"],
    keys: { [input.apiKey]: input.apiSecret },
    rtc: {
      udp_port: input.udpPort,
      tcp_port: 0,
      node_ip: "127.0.0.1",
      use_external_ip: false,
      enable_loopback_candidate: true,
      ips: { includes: ["127.0.0.1/32"] },
      use_mdns: false,
      // Not the SFU's own UDP port: Chromium eats every packet from a STUN server's address.
      stun_servers: [UNREACHABLE_LOOPBACK_STUN_SERVER],
      allow_tcp_fallback: false,
    },
    turn: { enabled: false },
    room: { auto_create: false },
    logging: { level: input.logLevel ?? "info", pion_level: "error", json: false },
    ...(webhookUrls.length > 0
      ? { webhook: { api_key: input.apiKey, urls: [...webhookUrls] } }
      : {}),
  };
}
