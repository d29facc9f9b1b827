import type { DelegationState, ParticipantEventName } from "./delegation-store.js";
import { STILL_PRESENT_DISCONNECT_REASONS } from "./delegation-timing.js";

/** What a delegation job does about one LiveKit participant webhook. */
export type WebhookJobAction =
  | { readonly kind: "connect" }
  | { readonly kind: "abort"; readonly reason: string }
  | { readonly kind: "disconnect"; readonly reason: string }
  | { readonly kind: "still-present"; readonly reason: string }
  | { readonly kind: "ignore" };

/**
 * The job state machine's webhook transitions (specs §3.5), as a pure decision: a first
 * `participant_joined` connects; `participant_connection_aborted` before that aborts without
 * sending; once connected, a `participant_left` or `participant_connection_aborted` disconnects
 * (sends the leave) unless its reason says the identity is still in the room (a reconnect or a
 * migration).
 *
 * @example
 * ```ts
 * webhookJobAction("connected", { event: "participant_left", disconnectReason: "CLIENT_INITIATED" });
 * // { kind: "disconnect", reason: "participant_left/CLIENT_INITIATED" }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function webhookJobAction(
  state: DelegationState,
  message: { readonly event: ParticipantEventName; readonly disconnectReason?: string },
): WebhookJobAction {
  const waiting = state === "waiting-for-initial-connect";
  if (message.event === "participant_joined" && waiting) return { kind: "connect" };
  if (message.event === "participant_connection_aborted" && waiting) {
    return { kind: "abort", reason: "connection-aborted-before-connect" };
  }
  const reason = message.disconnectReason;
  if (reason !== undefined && STILL_PRESENT_DISCONNECT_REASONS.has(reason)) {
    return { kind: "still-present", reason };
  }
  if (message.event !== "participant_joined" && state === "connected") {
    return {
      kind: "disconnect",
      reason: `${message.event}${reason === undefined ? "" : `/${reason}`}`,
    };
  }
  return { kind: "ignore" };
}
