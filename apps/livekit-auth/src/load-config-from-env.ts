import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { LivekitAuthConfig } from "./livekit-auth-config.js";
import { LivekitAuthError } from "./livekit-auth-error.js";
import { isLogLevel } from "./logger.js";

/**
 * The value `LIVEKIT_INSECURE_SKIP_VERIFY_TLS` must have to switch verification off.
 *
 * @example
 * ```ts
 * loadConfigFromEnv({ ...env, LIVEKIT_INSECURE_SKIP_VERIFY_TLS: INSECURE_SKIP_VERIFY_TLS_VALUE });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export const INSECURE_SKIP_VERIFY_TLS_VALUE = "YES_I_KNOW_WHAT_I_AM_DOING";

/**
 * Reads lk-jwt-service's environment variables into a {@link LivekitAuthConfig}.
 *
 * @remarks Throws a {@link LivekitAuthError} with `code: "config"` and a one-line message on the
 * first problem (the binary prints it and exits 2). `LIVEKIT_KEY`/`LIVEKIT_SECRET` may come from
 * `LIVEKIT_KEY_FROM_FILE`/`LIVEKIT_SECRET_FROM_FILE` or from `LIVEKIT_KEY_FILE` ("key: secret").
 * `LIVEKIT_JWT_BIND` is `host:port` or `:port` (default `:8080`); the deprecated `LIVEKIT_JWT_PORT`
 * is used when no bind is given. `LIVEKIT_CS_API_URL_OVERRIDES` is `name=url,…`; a value without a
 * scheme gets `https://`.
 * @example
 * ```ts
 * const config = loadConfigFromEnv({ LIVEKIT_URL: "wss://sfu.example.com", LIVEKIT_KEY: "k", LIVEKIT_SECRET: "s", LIVEKIT_FULL_ACCESS_HOMESERVERS: "*" });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function loadConfigFromEnv(env: NodeJS.ProcessEnv): LivekitAuthConfig {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === "" ? undefined : raw;
  };
  const livekitUrl = value("LIVEKIT_URL");
  if (livekitUrl === undefined) throw configError("LIVEKIT_URL is required");
  if (!/^(wss?|https?):\/\/[^/]/.test(livekitUrl)) {
    throw configError(`LIVEKIT_URL must be a ws(s):// or http(s):// URL, got "${livekitUrl}"`);
  }
  const { apiKey, apiSecret } = readKeys(value);
  const fullAccess = value("LIVEKIT_FULL_ACCESS_HOMESERVERS");
  if (fullAccess === undefined) {
    throw configError(
      'LIVEKIT_FULL_ACCESS_HOMESERVERS is required (comma-separated server names, or "*")',
    );
  }
  const { bindHost, bindPort } = readBind(value("LIVEKIT_JWT_BIND"), value("LIVEKIT_JWT_PORT"));
  const sanity = value("LIVEKIT_SANITY_CHECK_INTERVAL_SECONDS");
  let sanityCheckIntervalMs: number | undefined;
  if (sanity !== undefined) {
    const seconds = Number(sanity);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw configError(
        `LIVEKIT_SANITY_CHECK_INTERVAL_SECONDS must be a number ≥ 0, got "${sanity}"`,
      );
    }
    sanityCheckIntervalMs = Math.round(seconds * 1000);
  }
  const logLevel = value("LIVEKIT_LOG_LEVEL")?.toLowerCase();
  if (logLevel !== undefined && !isLogLevel(logLevel)) {
    throw configError(`LIVEKIT_LOG_LEVEL must be debug, info, warn or error, got "${logLevel}"`);
  }
  const overrides = value("LIVEKIT_CS_API_URL_OVERRIDES");
  const redisUrl = value("LIVEKIT_REDIS_URL");
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw configError(`LIVEKIT_REDIS_URL must be a redis:// or rediss:// URL, got "${redisUrl}"`);
  }
  const lease = value("LIVEKIT_DELEGATION_LEASE_SECONDS");
  let leaseMs: number | undefined;
  if (lease !== undefined) {
    const seconds = Number(lease);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw configError(`LIVEKIT_DELEGATION_LEASE_SECONDS must be a number > 0, got "${lease}"`);
    }
    leaseMs = Math.round(seconds * 1000);
  }
  const insecure = value("LIVEKIT_INSECURE_SKIP_VERIFY_TLS");
  return {
    livekitUrl,
    apiKey,
    apiSecret,
    fullAccessHomeservers: splitList(fullAccess),
    ...(bindHost === undefined ? {} : { bindHost }),
    bindPort,
    ...(sanityCheckIntervalMs === undefined ? {} : { sanityCheckIntervalMs }),
    ...(logLevel === undefined ? {} : { logLevel }),
    ...(overrides === undefined ? {} : { homeserverUrlOverrides: parseOverrides(overrides) }),
    ...(redisUrl === undefined ? {} : { redisUrl }),
    ...(leaseMs === undefined ? {} : { leaseMs }),
    delegationDbPath: value("LIVEKIT_DELEGATION_DB") ?? defaultDelegationDbPath(env),
    insecureSkipVerifyTls: insecure === INSECURE_SKIP_VERIFY_TLS_VALUE,
  };
}

/**
 * `$XDG_DATA_HOME/mxrtc-livekit-auth/delegations.sqlite` (`~/.local/share` when unset).
 *
 * @example
 * ```ts
 * defaultDelegationDbPath({ HOME: "/home/me" }); // "/home/me/.local/share/mxrtc-livekit-auth/delegations.sqlite"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function defaultDelegationDbPath(env: NodeJS.ProcessEnv): string {
  const dataHome =
    env.XDG_DATA_HOME?.trim() || join(env.HOME?.trim() || homedir(), ".local", "share");
  return join(dataHome, "mxrtc-livekit-auth", "delegations.sqlite");
}

/** Parses `name=url,name2=url2`; a url without a scheme gets `https://`. */
export function parseOverrides(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of splitList(text)) {
    const separator = entry.indexOf("=");
    const name = entry.slice(0, separator).trim();
    let url = entry.slice(separator + 1).trim();
    if (separator <= 0 || url === "") {
      throw configError(`LIVEKIT_CS_API_URL_OVERRIDES entry "${entry}" is not name=url`);
    }
    if (!/^https?:\/\//.test(url)) url = `https://${url}`;
    try {
      new URL(url);
    } catch {
      throw configError(`LIVEKIT_CS_API_URL_OVERRIDES entry "${entry}" has an invalid URL`);
    }
    result[name] = url.replace(/\/+$/, "");
  }
  return result;
}

function readKeys(value: (name: string) => string | undefined): {
  apiKey: string;
  apiSecret: string;
} {
  let apiKey = value("LIVEKIT_KEY");
  let apiSecret = value("LIVEKIT_SECRET");
  const keyFromFile = value("LIVEKIT_KEY_FROM_FILE");
  const secretFromFile = value("LIVEKIT_SECRET_FROM_FILE");
  if (keyFromFile !== undefined) apiKey = readSecretFile("LIVEKIT_KEY_FROM_FILE", keyFromFile);
  if (secretFromFile !== undefined) {
    apiSecret = readSecretFile("LIVEKIT_SECRET_FROM_FILE", secretFromFile);
  }
  const keyFile = value("LIVEKIT_KEY_FILE");
  if (keyFile !== undefined) {
    const text = readSecretFile("LIVEKIT_KEY_FILE", keyFile);
    const line = text.split("\n").find((candidate) => candidate.includes(":"));
    const separator = line?.indexOf(":") ?? -1;
    if (line === undefined || separator <= 0) {
      throw configError(`LIVEKIT_KEY_FILE ${keyFile} must contain "key: secret"`);
    }
    apiKey = line.slice(0, separator).trim();
    apiSecret = line.slice(separator + 1).trim();
  }
  if (apiKey === undefined || apiKey === "" || apiSecret === undefined || apiSecret === "") {
    throw configError(
      "LIVEKIT_KEY and LIVEKIT_SECRET are required (or LIVEKIT_KEY_FROM_FILE / LIVEKIT_SECRET_FROM_FILE, or LIVEKIT_KEY_FILE)",
    );
  }
  return { apiKey, apiSecret };
}

function readSecretFile(variable: string, path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    throw configError(`${variable}: cannot read ${path} (${(error as Error).message})`);
  }
}

function readBind(
  bind: string | undefined,
  port: string | undefined,
): { bindHost: string | undefined; bindPort: number } {
  const text = bind ?? (port === undefined ? ":8080" : `:${port}`);
  const separator = text.lastIndexOf(":");
  const host = separator < 0 ? "" : text.slice(0, separator).replace(/^\[|\]$/g, "");
  const portText = separator < 0 ? text : text.slice(separator + 1);
  const bindPort = Number(portText);
  if (!/^\d+$/.test(portText) || bindPort > 65_535) {
    throw configError(`LIVEKIT_JWT_BIND must be host:port or :port, got "${text}"`);
  }
  return { bindHost: host === "" ? undefined : host, bindPort };
}

function splitList(text: string): string[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

function configError(message: string): LivekitAuthError {
  return new LivekitAuthError("config", message);
}
