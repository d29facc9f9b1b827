import { LivekitFocusError } from "./livekit-focus-error.js";
import { type FetchLike, postJson, replyErrcode, serviceError } from "./post-json.js";
import { getTokenBody, type LivekitTokenRequest } from "./request-livekit-token.js";

/**
 * What became of a delayed-leave delegation.
 *
 * @remarks Either way the host keeps heartbeating its delayed leave (restarting it); a delegation
 * only adds the service's faster send when the SFU sees this participant drop.
 * - `{ delegated: true }`: the service took the job (`200`).
 * - `{ delegated: false, reason: "delay-too-short" }`: `400 M_BAD_JSON`; lk-jwt-service and MSC4195
 *   let a service refuse short `delay_timeout`s (clients SHOULD use ≥ 1 h), as Element Call expects.
 * - `{ delegated: false, reason: "unsupported" }`: `404`/`405`, a service without
 *   `/delegate_delayed_leave`.
 * - `{ delegated: false, reason: "legacy-endpoint" }`: the token came from the legacy `/sfu/get`,
 *   whose identity (`user:device`) the delegation endpoint would not watch; nothing was sent.
 *
 * @example
 * ```ts
 * const result: LivekitDelegationResult = { delegated: false, reason: "delay-too-short" };
 * ```
 */
export type LivekitDelegationResult =
  | { readonly delegated: true }
  | {
      readonly delegated: false;
      readonly reason: "delay-too-short" | "unsupported" | "legacy-endpoint";
      readonly message?: string;
    };

/**
 * Input of {@link delegateLivekitDelayedLeave}: the token request plus the delayed leave.
 *
 * @example
 * ```ts
 * const input: LivekitDelegationRequest = { ...tokenRequest, delayId: "syd_abc", delayMs: 8000 };
 * ```
 */
export interface LivekitDelegationRequest extends Omit<LivekitTokenRequest, "endpoint"> {
  /** The MSC4140 delay id of the scheduled leave. */
  readonly delayId: string;
  /** Its delay in milliseconds, sent as `delay_timeout`. */
  readonly delayMs: number;
  /** Default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
}

/**
 * The exact `/delegate_delayed_leave` body: the `/get_token` body plus `delay_id` and
 * `delay_timeout` (ms).
 *
 * @example
 * ```ts
 * delegationBody(request); // { room_id, slot_id, openid_token, member, delay_id, delay_timeout }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function delegationBody(request: LivekitDelegationRequest): Record<string, unknown> {
  return { ...getTokenBody(request), delay_id: request.delayId, delay_timeout: request.delayMs };
}

/**
 * Hands a scheduled delayed leave (MSC4140) to the LiveKit token service, which restarts it while
 * the SFU sees this participant and sends it the moment the participant drops.
 *
 * @remarks POSTs {@link delegationBody} to `{livekit_service_url}/delegate_delayed_leave`. Resolves
 * with a {@link LivekitDelegationResult}; other failures reject with a {@link LivekitFocusError}
 * (401 `"unauthorized"`, 403 `"forbidden"` for a homeserver the service does not fully serve,
 * 5xx `"service-error"`, no answer `"service-unreachable"`/`"timeout"`).
 *
 * @example
 * ```ts
 * const result = await delegateLivekitDelayedLeave({ ...tokenRequest, delayId, delayMs: 8000 });
 * if (!result.delegated) console.log("the service declined:", result.reason);
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export async function delegateLivekitDelayedLeave(
  request: LivekitDelegationRequest,
): Promise<LivekitDelegationResult> {
  if (typeof request.delayId !== "string" || request.delayId === "") {
    throw new LivekitFocusError("delegation needs a delay id", { code: "invalid-delegation" });
  }
  if (!Number.isSafeInteger(request.delayMs) || request.delayMs <= 0) {
    throw new LivekitFocusError(`delegation needs a positive delay, not ${request.delayMs}`, {
      code: "invalid-delegation",
    });
  }
  const url = `${request.serviceUrl}/delegate_delayed_leave`;
  const reply = await postJson(url, delegationBody(request), {
    fetch: request.fetch ?? ((target, init) => globalThis.fetch(target, init)),
    timeoutMs: request.timeoutMs ?? 10_000,
    signals: request.signal === undefined ? [] : [request.signal],
  });
  if (reply.status >= 200 && reply.status <= 299) return { delegated: true };
  const message = serviceError(url, reply).message;
  if (reply.status === 400 && replyErrcode(reply) === "M_BAD_JSON") {
    return { delegated: false, reason: "delay-too-short", message };
  }
  if (reply.status === 404 || reply.status === 405) {
    return { delegated: false, reason: "unsupported", message };
  }
  throw serviceError(url, reply);
}
