import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LivekitAuthError } from "./livekit-auth-error.js";
import { loadConfigFromEnv, parseOverrides } from "./load-config-from-env.js";

const minimal = {
  LIVEKIT_URL: "wss://sfu.example.com",
  LIVEKIT_KEY: "devkey",
  LIVEKIT_SECRET: "secret",
  LIVEKIT_FULL_ACCESS_HOMESERVERS: "example.com, other.org",
  HOME: "/home/test",
};

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfigFromEnv(env);
  } catch (error) {
    if (LivekitAuthError.isInstance(error) && error.code === "config") return error.message;
    throw error;
  }
  throw new Error("expected a config error");
}

describe("loadConfigFromEnv", () => {
  it("reads lk-jwt-service's variables with their defaults", () => {
    expect(loadConfigFromEnv(minimal)).toEqual({
      livekitUrl: "wss://sfu.example.com",
      apiKey: "devkey",
      apiSecret: "secret",
      fullAccessHomeservers: ["example.com", "other.org"],
      bindPort: 8080,
      delegationDbPath: "/home/test/.local/share/mxrtc-livekit-auth/delegations.sqlite",
      insecureSkipVerifyTls: false,
    });
  });

  it("reads every optional variable", () => {
    const config = loadConfigFromEnv({
      ...minimal,
      LIVEKIT_JWT_BIND: "127.0.0.1:9000",
      LIVEKIT_SANITY_CHECK_INTERVAL_SECONDS: "15",
      LIVEKIT_LOG_LEVEL: "DEBUG",
      LIVEKIT_CS_API_URL_OVERRIDES:
        "localhost=http://127.0.0.1:8008,example.com=matrix-client.example.com/",
      LIVEKIT_REDIS_URL: "redis://127.0.0.1:6379",
      LIVEKIT_DELEGATION_DB: "/data/jobs.sqlite",
      LIVEKIT_DELEGATION_LEASE_SECONDS: "1.5",
      LIVEKIT_INSECURE_SKIP_VERIFY_TLS: "YES_I_KNOW_WHAT_I_AM_DOING",
    });
    expect(config).toMatchObject({
      bindHost: "127.0.0.1",
      bindPort: 9000,
      sanityCheckIntervalMs: 15_000,
      logLevel: "debug",
      homeserverUrlOverrides: {
        localhost: "http://127.0.0.1:8008",
        "example.com": "https://matrix-client.example.com",
      },
      redisUrl: "redis://127.0.0.1:6379",
      delegationDbPath: "/data/jobs.sqlite",
      leaseMs: 1500,
      insecureSkipVerifyTls: true,
    });
  });

  it("uses the deprecated LIVEKIT_JWT_PORT when no bind is given", () => {
    expect(loadConfigFromEnv({ ...minimal, LIVEKIT_JWT_PORT: "7000" })).toMatchObject({
      bindPort: 7000,
    });
    expect(
      loadConfigFromEnv({ ...minimal, LIVEKIT_JWT_PORT: "7000", LIVEKIT_JWT_BIND: ":7001" }),
    ).toMatchObject({ bindPort: 7001 });
  });

  it("reads keys from files", () => {
    const folder = mkdtempSync(join(tmpdir(), "livekit-auth-"));
    writeFileSync(join(folder, "key"), "filekey\n");
    writeFileSync(join(folder, "secret"), "filesecret\n");
    writeFileSync(join(folder, "keys.yaml"), "pairkey: pairsecret\n");
    const base = { ...minimal, LIVEKIT_KEY: "", LIVEKIT_SECRET: "" };
    expect(
      loadConfigFromEnv({
        ...base,
        LIVEKIT_KEY_FROM_FILE: join(folder, "key"),
        LIVEKIT_SECRET_FROM_FILE: join(folder, "secret"),
      }),
    ).toMatchObject({ apiKey: "filekey", apiSecret: "filesecret" });
    expect(
      loadConfigFromEnv({ ...base, LIVEKIT_KEY_FILE: join(folder, "keys.yaml") }),
    ).toMatchObject({ apiKey: "pairkey", apiSecret: "pairsecret" });
    expect(configError({ ...base, LIVEKIT_KEY_FILE: join(folder, "missing") })).toMatch(
      /LIVEKIT_KEY_FILE: cannot read/,
    );
  });

  it.each([
    [{ LIVEKIT_URL: undefined }, /LIVEKIT_URL is required/],
    [{ LIVEKIT_URL: "sfu.example.com" }, /LIVEKIT_URL must be/],
    [{ LIVEKIT_SECRET: undefined }, /LIVEKIT_KEY and LIVEKIT_SECRET are required/],
    [{ LIVEKIT_FULL_ACCESS_HOMESERVERS: undefined }, /LIVEKIT_FULL_ACCESS_HOMESERVERS is required/],
    [{ LIVEKIT_JWT_BIND: "localhost:http" }, /LIVEKIT_JWT_BIND/],
    [{ LIVEKIT_SANITY_CHECK_INTERVAL_SECONDS: "-1" }, /LIVEKIT_SANITY_CHECK_INTERVAL_SECONDS/],
    [{ LIVEKIT_LOG_LEVEL: "loud" }, /LIVEKIT_LOG_LEVEL/],
    [{ LIVEKIT_CS_API_URL_OVERRIDES: "nonsense" }, /LIVEKIT_CS_API_URL_OVERRIDES/],
    [{ LIVEKIT_REDIS_URL: "127.0.0.1:6379" }, /LIVEKIT_REDIS_URL/],
    [{ LIVEKIT_DELEGATION_LEASE_SECONDS: "0" }, /LIVEKIT_DELEGATION_LEASE_SECONDS/],
  ])("refuses %j with one clear line", (change, message) => {
    const text = configError({ ...minimal, ...change });
    expect(text).toMatch(message);
    expect(text).not.toContain("\n");
  });

  it("parses overrides with and without scheme", () => {
    expect(parseOverrides("a=http://127.0.0.1:1/, b=b.example")).toEqual({
      a: "http://127.0.0.1:1",
      b: "https://b.example",
    });
  });
});
