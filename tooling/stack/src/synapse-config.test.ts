import { describe, expect, it } from "vitest";
import { buildSynapseConfig, TIGHT_RATE_LIMIT } from "./synapse-config.js";

const base = {
  port: 12345,
  dataDir: "/data",
  serverName: "localhost",
  registrationSharedSecret: "secret",
  macaroonSecretKey: "macaroon",
} as const;

describe("buildSynapseConfig", () => {
  it("listens on loopback only with client + openid, absolute paths, delayed events on", () => {
    const config = buildSynapseConfig({ ...base, profile: "default" });
    expect(config.listeners).toEqual([
      expect.objectContaining({
        port: 12345,
        bind_addresses: ["127.0.0.1"],
        resources: [{ names: ["client", "openid"], compress: false }],
      }),
    ]);
    expect(config.database).toEqual({
      name: "sqlite3",
      args: { database: "/data/homeserver.db" },
    });
    expect(config.public_baseurl).toBe("http://127.0.0.1:12345/");
    expect(config.max_event_delay_duration).toBe("24h");
    expect(config.experimental_features).toEqual({
      msc4140_max_delayed_events_per_user: 1000,
      msc4354_enabled: true,
      msc4143_enabled: true,
    });
    expect(config.matrix_rtc).toEqual({ transports: [] });
    expect(config.extra_well_known_client_content).toEqual({});
  });

  it("raises every rc_* limit in the default profile", () => {
    const config = buildSynapseConfig({ ...base, profile: "default" });
    const limits = Object.entries(config).filter(([key]) => key.startsWith("rc_"));
    expect(limits.length).toBeGreaterThanOrEqual(18);
    expect(config.rc_message).toEqual({ per_second: 10_000, burst_count: 100_000 });
    expect(config.rc_delayed_event_mgmt).toEqual({ per_second: 10_000, burst_count: 100_000 });
  });

  it("lowers rc_message and rc_delayed_event_mgmt in the tight profile only", () => {
    const config = buildSynapseConfig({ ...base, profile: "tight-rate-limits" });
    expect(config.rc_message).toEqual(TIGHT_RATE_LIMIT);
    expect(config.rc_delayed_event_mgmt).toEqual(TIGHT_RATE_LIMIT);
    expect(config.rc_room_creation).toEqual({ per_second: 10_000, burst_count: 100_000 });
  });

  it("publishes transports in matrix_rtc and .well-known rtc_foci", () => {
    const transports = [{ type: "livekit", livekit_service_url: "http://127.0.0.1:8080" }];
    const config = buildSynapseConfig({ ...base, profile: "default", transports });
    expect(config.matrix_rtc).toEqual({ transports });
    expect(config.extra_well_known_client_content).toEqual({
      "org.matrix.msc4143.rtc_foci": transports,
    });
  });
});
