import { DEFAULT_SLOT_ID, isLivekitTransport, type RtcTransport } from "@mxrtc/types";
import { describeMatrixFailure } from "./describe-matrix-failure.js";
import { type DoctorContext, type DoctorResult, fetchJson, reasonOf } from "./doctor-check.js";

function serviceUrl(transport: RtcTransport): string | undefined {
  return isLivekitTransport(transport)
    ? transport.livekit_service_url.replace(/\/+$/, "")
    : undefined;
}

/**
 * The focus service's health: for a `livekit` transport, `GET {livekit_service_url}/healthz`
 * must answer 2xx. Other transport types have no service to check here (`full_mesh` needs
 * none); they are reported as warnings.
 *
 * @example
 * ```ts
 * await checkFocusHealth(context, { type: "livekit", livekit_service_url: "https://rtc.example.org/livekit/jwt" });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function checkFocusHealth(
  context: DoctorContext,
  transport: RtcTransport,
): Promise<DoctorResult> {
  const base = serviceUrl(transport);
  if (base === undefined) {
    return {
      id: `focus-health:${transport.type}`,
      status: transport.type === "full_mesh" ? "ok" : "warn",
      message:
        transport.type === "full_mesh"
          ? "full_mesh transport: no focus service to check"
          : `transport type ${transport.type}: the doctor knows no health check for it`,
    };
  }
  const id = `focus-health:${base}`;
  const fix = `make ${base}/healthz reachable from clients (is lk-jwt-service running, and does the reverse proxy forward this path?)`;
  try {
    const reply = await fetchJson(context, `${base}/healthz`);
    if (reply.status >= 200 && reply.status < 300) {
      return {
        id,
        status: "ok",
        message: `focus service ${base} is healthy (/healthz ${reply.status})`,
      };
    }
    return {
      id,
      status: "fail",
      message: `focus service ${base}/healthz answered HTTP ${reply.status}`,
      fix,
    };
  } catch (error) {
    return {
      id,
      status: "fail",
      message: `focus service ${base} unreachable: ${reasonOf(error)}`,
      fix,
    };
  }
}

/**
 * A real token request: an OpenID token from the homeserver, then
 * `POST {livekit_service_url}/get_token` `{room_id, slot_id, openid_token, member}` must answer
 * `{url, jwt}`. Needs `--token` and a room (`--write ROOM_ID`); without a room it is skipped
 * with a warning.
 *
 * @example
 * ```ts
 * await checkFocusToken(context, transport, "!room:example.org");
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function checkFocusToken(
  context: DoctorContext,
  transport: RtcTransport,
  roomId: string | undefined,
): Promise<DoctorResult | undefined> {
  const base = serviceUrl(transport);
  if (base === undefined) return undefined;
  const id = `focus-token:${base}`;
  if (context.matrix === undefined || context.identity === undefined) {
    return {
      id,
      status: "warn",
      message: `skipped token request to ${base}: needs --token`,
      fix: "pass --token",
    };
  }
  if (roomId === undefined) {
    return {
      id,
      status: "warn",
      message: `skipped token request to ${base}: needs --write ROOM_ID`,
      fix: "pass --write ROOM_ID",
    };
  }
  let openidToken: unknown;
  try {
    openidToken = await context.matrix.requestOpenIdToken({ timeoutMs: context.timeoutMs });
  } catch (error) {
    return {
      id,
      status: "fail",
      message: `the homeserver gave no OpenID token: ${describeMatrixFailure(error, { homeserver: context.homeserver })}`,
      fix: "the focus service needs OpenID: check that the homeserver serves /_matrix/client/v3/user/{userId}/openid/request_token",
    };
  }
  const { userId, deviceId } = context.identity;
  const body = {
    room_id: roomId,
    slot_id: DEFAULT_SLOT_ID,
    openid_token: openidToken,
    member: { id: `${userId}:${deviceId}`, claimed_user_id: userId, claimed_device_id: deviceId },
  };
  const fix = `check lk-jwt-service's logs; it must reach the homeserver's /_matrix/federation/v1/openid/userinfo (federation port or openid listener) and be allowed to serve this homeserver (LIVEKIT_FULL_ACCESS_HOMESERVERS)`;
  try {
    const reply = await fetchJson(context, `${base}/get_token`, { method: "POST", body });
    const answer = (reply.body ?? {}) as Record<string, unknown>;
    if (reply.status === 200 && typeof answer.url === "string" && typeof answer.jwt === "string") {
      return { id, status: "ok", message: `${base}/get_token gave a token for SFU ${answer.url}` };
    }
    const errcode = typeof answer.errcode === "string" ? ` ${answer.errcode}` : "";
    return {
      id,
      status: "fail",
      message: `${base}/get_token answered HTTP ${reply.status}${errcode}${reply.status === 200 ? " without {url, jwt}" : `: ${reply.text.slice(0, 160)}`}`,
      fix,
    };
  } catch (error) {
    return {
      id,
      status: "fail",
      message: `${base}/get_token unreachable: ${reasonOf(error)}`,
      fix,
    };
  }
}
