import type { FocusOpenIdTokenV1 } from "@mxrtc/focus";
import { LivekitFocusError } from "./livekit-focus-error.js";
import { type FetchLike, postJson, serviceError } from "./post-json.js";

/**
 * Which token endpoint of the service to call.
 *
 * @remarks
 * - `"auto"`: `POST {livekit_service_url}/get_token` (MSC4195, lk-jwt-service ≥ 0.3), and only when
 *   that answers 404 (a service from before `/get_token`) the legacy `POST …/sfu/get`.
 * - `"get_token"`: only `/get_token`; the identity is the MSC4195 hash of user, device and member id.
 * - `"sfu_get"`: only the legacy `/sfu/get`; the identity is `${userId}:${deviceId}` and the room is
 *   the slot `m.call#ROOM` of the Matrix room, whatever the slot.
 *
 * @example
 * ```ts
 * const endpoint: LivekitTokenEndpoint = "auto";
 * ```
 */
export type LivekitTokenEndpoint = "auto" | "get_token" | "sfu_get";

/**
 * What the token service gave: where the SFU is and the JWT to join it with.
 *
 * @example
 * ```ts
 * const grant: LivekitTokenGrant = { url: "wss://sfu.example.org", jwt: "eyJ…", endpoint: "get_token" };
 * ```
 */
export interface LivekitTokenGrant {
  /** The LiveKit SFU's WebSocket URL. */
  readonly url: string;
  /** The LiveKit access token. */
  readonly jwt: string;
  /** The endpoint that answered. */
  readonly endpoint: "get_token" | "sfu_get";
}

/**
 * Input of {@link requestLivekitToken}.
 *
 * @example
 * ```ts
 * const input: LivekitTokenRequest = {
 *   serviceUrl: "https://livekit-jwt.example.org",
 *   roomId: "!room:example.org",
 *   slotId: "m.call#ROOM",
 *   member: { userId: "@alice:example.org", deviceId: "ALICE", memberId: "m1" },
 *   openIdToken,
 * };
 * ```
 */
export interface LivekitTokenRequest {
  /** `livekit_service_url` of the transport, without a trailing slash. */
  readonly serviceUrl: string;
  /** The Matrix room. */
  readonly roomId: string;
  /** The MatrixRTC slot. */
  readonly slotId: string;
  /** This client's membership. */
  readonly member: {
    readonly userId: string;
    readonly deviceId: string;
    readonly memberId: string;
  };
  /** A fresh OpenID token of the user. */
  readonly openIdToken: FocusOpenIdTokenV1;
  /** Which endpoint(s) to call. Default `"auto"`. */
  readonly endpoint?: LivekitTokenEndpoint;
  /** Default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  /** Per request. Default `10000` ms. */
  readonly timeoutMs?: number;
  /** Aborts the request(s). */
  readonly signal?: AbortSignal;
}

/**
 * The exact `/get_token` body (MSC4195, lk-jwt-service, Element Call).
 *
 * @example
 * ```ts
 * getTokenBody(request); // { room_id, slot_id, openid_token, member: { id, claimed_user_id, claimed_device_id } }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function getTokenBody(request: LivekitTokenRequest): Record<string, unknown> {
  return {
    room_id: request.roomId,
    slot_id: request.slotId,
    openid_token: request.openIdToken,
    member: {
      id: request.member.memberId,
      claimed_user_id: request.member.userId,
      claimed_device_id: request.member.deviceId,
    },
  };
}

/**
 * The exact legacy `/sfu/get` body, as lk-jwt-service reads it (unknown fields are refused).
 *
 * @example
 * ```ts
 * legacySfuGetBody(request); // { room, openid_token, device_id }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function legacySfuGetBody(request: LivekitTokenRequest): Record<string, unknown> {
  return {
    room: request.roomId,
    openid_token: request.openIdToken,
    device_id: request.member.deviceId,
  };
}

/**
 * Gets a LiveKit JWT from a MatrixRTC LiveKit token service (lk-jwt-service or
 * `@mxrtc/livekit-auth`).
 *
 * @remarks With `endpoint: "auto"` (default) it POSTs {@link getTokenBody} to `/get_token` and
 * falls back to {@link legacySfuGetBody} at `/sfu/get` only on a 404. Any other failure is a
 * {@link LivekitFocusError}: 400 `"bad-request"`, 401 `"unauthorized"`, 403 `"forbidden"`, 404 on
 * both `"not-found"`, 429 `"rate-limited"`, 5xx `"service-error"`, no answer
 * `"service-unreachable"` or `"timeout"`, a 2xx without string `url` and `jwt`
 * `"malformed-response"`, an abort `"aborted"`.
 *
 * @example
 * ```ts
 * import { requestLivekitToken } from "@mxrtc/focus-livekit";
 *
 * const { url, jwt, endpoint } = await requestLivekitToken({
 *   serviceUrl: "https://livekit-jwt.example.org",
 *   roomId: "!room:example.org",
 *   slotId: "m.call#ROOM",
 *   member: { userId: matrix.userId, deviceId: matrix.deviceId, memberId },
 *   openIdToken: await matrix.requestOpenIdToken(),
 * });
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function requestLivekitToken(
  request: LivekitTokenRequest,
): Promise<LivekitTokenGrant> {
  const endpoint = request.endpoint ?? "auto";
  const options = {
    fetch: request.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    timeoutMs: request.timeoutMs ?? 10_000,
    signals: request.signal === undefined ? [] : [request.signal],
  } satisfies Parameters<typeof postJson>[2];
  if (endpoint !== "sfu_get") {
    const url = `${request.serviceUrl}/get_token`;
    const reply = await postJson(url, getTokenBody(request), options);
    if (reply.status !== 404 || endpoint === "get_token") return grant(url, reply, "get_token");
  }
  const url = `${request.serviceUrl}/sfu/get`;
  const reply = await postJson(url, legacySfuGetBody(request), options);
  return grant(url, reply, "sfu_get");
}

function grant(
  url: string,
  reply: { readonly status: number; readonly body: unknown },
  endpoint: LivekitTokenGrant["endpoint"],
): LivekitTokenGrant {
  if (reply.status < 200 || reply.status > 299) throw serviceError(url, reply);
  const body = reply.body as { readonly url?: unknown; readonly jwt?: unknown } | undefined;
  if (
    typeof body !== "object" ||
    body === null ||
    typeof body.url !== "string" ||
    body.url === "" ||
    typeof body.jwt !== "string" ||
    body.jwt === ""
  ) {
    throw new LivekitFocusError(`${url} answered ${reply.status} without a string url and jwt`, {
      code: "malformed-response",
      status: reply.status,
    });
  }
  return { url: body.url, jwt: body.jwt, endpoint };
}
