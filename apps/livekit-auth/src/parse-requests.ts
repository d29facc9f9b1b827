import { httpError, type LivekitAuthError } from "./livekit-auth-error.js";
import type { OpenIdTokenInput } from "./verify-openid-token.js";

/** In-band or explicit delegation fields: `delay_id` + `delay_timeout` (ms). */
export interface DelegationFields {
  readonly delayId: string;
  readonly delayTimeoutMs: number;
}

/** `POST /get_token` body (MSC4195 2025-11+, Element Call G2). */
export interface GetTokenRequest {
  readonly roomId: string;
  readonly slotId: string;
  readonly openIdToken: OpenIdTokenInput;
  readonly member: {
    readonly id: string;
    readonly claimedUserId: string;
    readonly claimedDeviceId: string;
  };
  readonly delegation?: DelegationFields;
}

/** `POST /sfu/get` body (legacy, G1). */
export interface LegacySfuRequest {
  readonly room: string;
  readonly openIdToken: OpenIdTokenInput;
  readonly deviceId: string;
  readonly delegation?: DelegationFields;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; error: LivekitAuthError };

const LEGACY_FIELDS = new Set([
  "room",
  "openid_token",
  "device_id",
  "delay_id",
  "delay_timeout",
  "delay_cs_api_url",
]);

/** Parses the JSON text of a request body; 400 `M_NOT_JSON` when it is not a JSON object. */
export function parseJsonObject(text: string): Parsed<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
  } catch {
    // fall through
  }
  return { ok: false, error: httpError(400, "M_NOT_JSON", "Error decoding JSON") };
}

/**
 * Validates a `/get_token` body (unknown keys allowed, like lk-jwt-service); 400 `M_BAD_JSON` names
 * the first missing or mistyped field.
 *
 * @example
 * ```ts
 * const parsed = parseGetTokenRequest(JSON.parse(text));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function parseGetTokenRequest(
  body: Record<string, unknown>,
  options: { requireDelegation?: boolean } = {},
): Parsed<GetTokenRequest> {
  const roomId = body.room_id;
  const slotId = body.slot_id;
  if (!nonEmpty(roomId)) return bad("room_id");
  if (!nonEmpty(slotId)) return bad("slot_id");
  const token = parseOpenIdToken(body.openid_token);
  if (token === undefined) return bad("openid_token");
  const member = body.member;
  if (typeof member !== "object" || member === null || Array.isArray(member)) return bad("member");
  const {
    id,
    claimed_user_id: claimedUserId,
    claimed_device_id: claimedDeviceId,
  } = member as Record<string, unknown>;
  if (!nonEmpty(id)) return bad("member.id");
  if (!nonEmpty(claimedUserId)) return bad("member.claimed_user_id");
  if (!nonEmpty(claimedDeviceId)) return bad("member.claimed_device_id");
  const delegation = parseDelegation(body, options.requireDelegation === true);
  if (!delegation.ok) return delegation;
  return {
    ok: true,
    value: {
      roomId,
      slotId,
      openIdToken: token,
      member: { id, claimedUserId, claimedDeviceId },
      ...(delegation.value === undefined ? {} : { delegation: delegation.value }),
    },
  };
}

/**
 * Validates a legacy `/sfu/get` body. Unknown keys are refused with 400 `M_NOT_JSON` (lk-jwt-service
 * decodes it with `DisallowUnknownFields`); `delay_cs_api_url` is accepted and ignored.
 *
 * @example
 * ```ts
 * const parsed = parseLegacySfuRequest(JSON.parse(text));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function parseLegacySfuRequest(body: Record<string, unknown>): Parsed<LegacySfuRequest> {
  const unknown = Object.keys(body).find((key) => !LEGACY_FIELDS.has(key));
  if (unknown !== undefined) {
    return {
      ok: false,
      error: httpError(400, "M_NOT_JSON", `Error decoding JSON: unknown field "${unknown}"`),
    };
  }
  if (!nonEmpty(body.room)) return bad("room");
  const token = parseOpenIdToken(body.openid_token);
  if (token === undefined) return bad("openid_token");
  if (!nonEmpty(body.device_id)) return bad("device_id");
  const delegation = parseDelegation(body, false);
  if (!delegation.ok) return delegation;
  return {
    ok: true,
    value: {
      room: body.room,
      openIdToken: token,
      deviceId: body.device_id,
      ...(delegation.value === undefined ? {} : { delegation: delegation.value }),
    },
  };
}

function parseOpenIdToken(value: unknown): OpenIdTokenInput | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const token = value as Record<string, unknown>;
  if (!nonEmpty(token.access_token) || !nonEmpty(token.matrix_server_name)) return undefined;
  return {
    access_token: token.access_token,
    matrix_server_name: token.matrix_server_name,
    ...(typeof token.token_type === "string" ? { token_type: token.token_type } : {}),
    ...(typeof token.expires_in === "number" ? { expires_in: token.expires_in } : {}),
  };
}

function parseDelegation(
  body: Record<string, unknown>,
  required: boolean,
): Parsed<DelegationFields | undefined> {
  const delayId = body.delay_id;
  const delayTimeout = body.delay_timeout;
  const hasId = delayId !== undefined && delayId !== null && delayId !== "";
  const hasTimeout = delayTimeout !== undefined && delayTimeout !== null && delayTimeout !== 0;
  if (!hasId && !hasTimeout) return required ? bad("delay_id") : { ok: true, value: undefined };
  if (!hasId || !hasTimeout) {
    return {
      ok: false,
      error: httpError(400, "M_BAD_JSON", "delay_id and delay_timeout must be given together"),
    };
  }
  if (!nonEmpty(delayId)) return bad("delay_id");
  if (
    typeof delayTimeout !== "number" ||
    !Number.isSafeInteger(delayTimeout) ||
    delayTimeout <= 0
  ) {
    return bad("delay_timeout");
  }
  return { ok: true, value: { delayId, delayTimeoutMs: delayTimeout } };
}

function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value !== "";
}

function bad(field: string): { ok: false; error: LivekitAuthError } {
  return {
    ok: false,
    error: httpError(
      400,
      "M_BAD_JSON",
      `The request body is missing or has an invalid \`${field}\``,
    ),
  };
}
