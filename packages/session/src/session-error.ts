const marker = Symbol.for("@mxrtc/session/SessionError");

/**
 * What went wrong in a session.
 *
 * - `"invalid-options"`: bad options (thrown by `createRtcSession`).
 * - `"invalid-state"`: a method called when it cannot work (e.g. `join()` while leaving).
 * - `"closed"`: the session was closed.
 * - `"insufficient-power-level"`: the room's power levels do not let this user send call
 *   memberships (`requiredPowerLevel`, `userPowerLevel`, `eventType` say which).
 * - `"sticky-unsupported"`: `dialect: "sticky"` asked, but the server does not advertise MSC4354.
 * - `"no-transport"`: no transport given, none at `/rtc/transports`, none in `.well-known`.
 * - `"join-failed"`: the join failed for another reason (`cause` is the scheduler's error).
 * - `"scheduler-error"`: the leave scheduler reported an error while joined (`cause` is its
 *   `LeaveSchedulerError`; `fatal` on the event says whether we are out of the call).
 * - `"focus-failed"`: a focus plugin failed to connect (`cause` is its `FocusError`).
 * - `"sync-failed"`: the owned sync loop stopped with an error.
 *
 * @example
 * ```ts
 * const code: SessionErrorCode = "insufficient-power-level";
 * ```
 */
export type SessionErrorCode =
  | "invalid-options"
  | "invalid-state"
  | "closed"
  | "insufficient-power-level"
  | "sticky-unsupported"
  | "no-transport"
  | "join-failed"
  | "scheduler-error"
  | "focus-failed"
  | "sync-failed";

/** Extra fields of a {@link SessionError}. */
export interface SessionErrorOptions {
  readonly cause?: unknown;
  /** For `insufficient-power-level`: the event type that was refused. */
  readonly eventType?: string;
  /** For `insufficient-power-level`: the level the room requires for `eventType`. */
  readonly requiredPowerLevel?: number;
  /** For `insufficient-power-level`: our user's level. */
  readonly userPowerLevel?: number;
}

/**
 * The one error class of `@mxrtc/session`.
 *
 * @remarks Check it with {@link SessionError.isInstance}, never `instanceof` (the `Symbol.for`
 * marker works across bundled copies).
 * @example
 * ```ts
 * try {
 *   await session.join();
 * } catch (error) {
 *   if (SessionError.isInstance(error) && error.code === "insufficient-power-level") {
 *     alert(`You need power level ${error.requiredPowerLevel} to join calls here.`);
 *   }
 * }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export class SessionError extends Error {
  /** Cross-copy marker; see {@link SessionError.isInstance}. */
  readonly [marker] = true;
  /** What went wrong. */
  readonly code: SessionErrorCode;
  readonly eventType?: string;
  readonly requiredPowerLevel?: number;
  readonly userPowerLevel?: number;

  constructor(code: SessionErrorCode, message: string, options: SessionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SessionError";
    this.code = code;
    if (options.eventType !== undefined) this.eventType = options.eventType;
    if (options.requiredPowerLevel !== undefined)
      this.requiredPowerLevel = options.requiredPowerLevel;
    if (options.userPowerLevel !== undefined) this.userPowerLevel = options.userPowerLevel;
  }

  /** True for a {@link SessionError} from any copy of this package. */
  static isInstance(value: unknown): value is SessionError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { readonly [marker]?: unknown })[marker] === true
    );
  }
}
