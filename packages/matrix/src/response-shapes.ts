import type { ClientEvent, MatrixVersions, OpenIdToken, SendResult } from "./matrix-port.js";

/** Plain JSON object check. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A room event with the fields every client event has. */
export function isClientEvent(value: unknown): value is ClientEvent {
  return (
    isRecord(value) &&
    typeof value.type === "string" &&
    typeof value.event_id === "string" &&
    typeof value.sender === "string" &&
    typeof value.origin_server_ts === "number" &&
    isRecord(value.content) &&
    (value.state_key === undefined || typeof value.state_key === "string") &&
    (value.unsigned === undefined || isRecord(value.unsigned))
  );
}

/** Any JSON value. */
export function parseAny(json: unknown): unknown {
  return json;
}

/** `{}` or any object (responses whose content we do not need). */
export function parseObject(json: unknown): Record<string, unknown> | undefined {
  return isRecord(json) ? json : undefined;
}

/** `/account/whoami`. */
export function parseWhoami(
  json: unknown,
): { readonly userId: string; readonly deviceId?: string } | undefined {
  if (!isRecord(json) || typeof json.user_id !== "string") return undefined;
  return typeof json.device_id === "string"
    ? { userId: json.user_id, deviceId: json.device_id }
    : { userId: json.user_id };
}

/** `/versions`. */
export function parseVersions(json: unknown): MatrixVersions | undefined {
  if (!isRecord(json) || !Array.isArray(json.versions)) return undefined;
  const unstableFeatures: Record<string, boolean> = {};
  if (isRecord(json.unstable_features)) {
    for (const [feature, enabled] of Object.entries(json.unstable_features)) {
      if (typeof enabled === "boolean") unstableFeatures[feature] = enabled;
    }
  }
  return {
    versions: json.versions.filter((version): version is string => typeof version === "string"),
    unstableFeatures,
  };
}

/** `/capabilities`: the inner `capabilities` object. */
export function parseCapabilities(json: unknown): Record<string, unknown> | undefined {
  return isRecord(json) && isRecord(json.capabilities) ? json.capabilities : undefined;
}

/** `/send` and `/state`: `{event_id}` or, for a delayed send, `{delay_id}`. */
export function parseSendResult(json: unknown): SendResult | undefined {
  if (!isRecord(json)) return undefined;
  const eventId = typeof json.event_id === "string" ? json.event_id : undefined;
  const delayId = typeof json.delay_id === "string" ? json.delay_id : undefined;
  if (eventId === undefined && delayId === undefined) return undefined;
  return {
    ...(eventId === undefined ? {} : { eventId }),
    ...(delayId === undefined ? {} : { delayId }),
  };
}

/** `/rooms/{roomId}/state`: events that are not well-formed are dropped. */
export function parseStateEvents(json: unknown): readonly ClientEvent[] | undefined {
  return Array.isArray(json) ? json.filter(isClientEvent) : undefined;
}

/** `/openid/request_token`. */
export function parseOpenIdToken(json: unknown): OpenIdToken | undefined {
  if (
    !isRecord(json) ||
    typeof json.access_token !== "string" ||
    typeof json.token_type !== "string" ||
    typeof json.matrix_server_name !== "string" ||
    typeof json.expires_in !== "number"
  ) {
    return undefined;
  }
  return {
    access_token: json.access_token,
    token_type: json.token_type,
    matrix_server_name: json.matrix_server_name,
    expires_in: json.expires_in,
  };
}
