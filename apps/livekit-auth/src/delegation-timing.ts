/**
 * Timing of delegation jobs; every field has the default named beside it.
 *
 * @example
 * ```ts
 * const timing: DelegationTiming = { sanityCheckIntervalMs: 30_000, leaseMs: 15_000 };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface DelegationTiming {
  /** First `getParticipant` poll while waiting for the initial connect (default 1 000 ms); doubles up to `pollMaxMs`. */
  readonly pollMinMs?: number;
  /** Longest poll interval while waiting (default 60 000 ms). */
  readonly pollMaxMs?: number;
  /** Longest wait for the initial connect before sending the leave (default 3 600 000 ms; also capped by `delay_timeout`). */
  readonly maxInitialWaitMs?: number;
  /** Restart again at this fraction of `delay_timeout` (default 0.8). */
  readonly restartFraction?: number;
  /** Poll a connected participant this often; 0 = off (default 60 000 ms). */
  readonly sanityCheckIntervalMs?: number;
  /** Ownership lease; renewed every third of it (default 15 000 ms). */
  readonly leaseMs?: number;
  /** Finished jobs are kept this long (default 86 400 000 ms). */
  readonly retainFinishedMs?: number;
}

/**
 * A delegation request after authentication: which participant, which delayed event, and the
 * homeserver that scheduled it.
 *
 * @example
 * ```ts
 * const input: DelegationInput = { roomAlias, identity, delayId: "syd_abc", delayTimeoutMs: 3_600_000, homeserverUrl: "https://matrix.example.com" };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface DelegationInput {
  readonly roomAlias: string;
  readonly identity: string;
  readonly delayId: string;
  readonly delayTimeoutMs: number;
  readonly homeserverUrl: string;
}

/**
 * LiveKit disconnect reasons after which the same identity is (again) in the room: a reconnect
 * replaced the session (`DUPLICATE_IDENTITY`), or the participant moved to another node
 * (`MIGRATION`). Their `participant_left` does not end the call, so no leave is sent.
 *
 * @example
 * ```ts
 * STILL_PRESENT_DISCONNECT_REASONS.has("DUPLICATE_IDENTITY"); // true
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export const STILL_PRESENT_DISCONNECT_REASONS: ReadonlySet<string> = new Set([
  "DUPLICATE_IDENTITY",
  "MIGRATION",
]);
