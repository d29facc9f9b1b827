/**
 * Why an event was rejected or ignored by the reducer.
 *
 * @remarks Codes are stable strings; messages are for humans and may change.
 * @example
 * ```ts
 * const forged = selectDiagnostics(state).filter((d) => d.code === "forged-membership");
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export type RtcDiagnosticCode =
  | "malformed-event"
  | "missing-event-id"
  | "missing-sender"
  | "missing-state-key"
  | "missing-origin-server-ts"
  | "duplicate-event"
  | "invalid-content"
  | "forged-membership"
  | "application-mismatch"
  | "not-sticky"
  | "missing-sticky-key"
  | "sticky-key-mismatch"
  | "superseded-sticky-event"
  | "unknown-focus-selection"
  | "invalid-room-member"
  | "invalid-slot"
  | "state-gap";

/**
 * One rejected or ignored event, with the reason.
 *
 * @remarks `path` points into the event (`content.member.user_id`, `state_key`, …). Events of
 * types the reducer does not read (messages, reactions, …) are skipped without a diagnostic.
 * @example
 * ```ts
 * for (const diagnostic of selectDiagnostics(state)) {
 *   console.warn(`${diagnostic.eventId}: ${diagnostic.code} at ${diagnostic.path}: ${diagnostic.message}`);
 * }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcDiagnostic {
  readonly code: RtcDiagnosticCode;
  readonly message: string;
  readonly eventId?: string;
  readonly sender?: string;
  readonly eventType?: string;
  readonly path?: string;
  readonly originServerTs?: number;
  /** `true` when the event was still applied (informational), `false` when it was dropped. */
  readonly applied: boolean;
}
