const marker = Symbol.for("@mxrtc/leave-scheduler/LeaveSchedulerError");

/**
 * What went wrong in the leave scheduler.
 *
 * - `"invalid-options"`: bad timing or other options (thrown by `createLeaveScheduler`).
 * - `"invalid-state"`: a method was called in a state where it cannot work (e.g. `update` before `join`).
 * - `"closed"`: the scheduler was closed.
 * - `"superseded"`: a `leave()` or `close()` interrupted the operation.
 * - `"timeout"`: a request did not settle within its local timeout.
 * - `"delayed-events-unsupported"`: the homeserver has no MSC4140; the scheduler refuses to write
 *   a membership that nothing would clean up.
 * - `"delay-too-long"`: the server refused every delay down to the floor.
 * - `"retries-exhausted"`: the retry budget of one operation ran out; `cause` is the last error.
 * - `"request-failed"`: a request failed in a way retrying cannot fix (e.g. 403); `cause` is it.
 * - `"leave-failed"`: neither the delayed leave nor the direct leave could be sent; the delayed
 *   leave, if still scheduled, fires on its own.
 * - `"storage-failed"`: the delay-id storage threw (the scheduler carries on without it).
 * - `"delegation-hook-failed"`: `onDelegation` threw (the scheduler carries on).
 *
 * @example
 * ```ts
 * const code: LeaveSchedulerErrorCode = "retries-exhausted";
 * ```
 */
export type LeaveSchedulerErrorCode =
  | "invalid-options"
  | "invalid-state"
  | "closed"
  | "superseded"
  | "timeout"
  | "delayed-events-unsupported"
  | "delay-too-long"
  | "retries-exhausted"
  | "request-failed"
  | "leave-failed"
  | "storage-failed"
  | "delegation-hook-failed";

/**
 * The one error class of `@mxrtc/leave-scheduler`.
 *
 * @remarks Check it with {@link LeaveSchedulerError.isInstance}, never `instanceof` (the
 * `Symbol.for` marker works across bundled copies). The server's error, when there was one, is the
 * `cause` (a `DelayedEventError` or `MatrixError`).
 *
 * @example
 * ```ts
 * import { LeaveSchedulerError } from "@mxrtc/leave-scheduler";
 * try {
 *   await scheduler.join(sendMembership);
 * } catch (error) {
 *   if (LeaveSchedulerError.isInstance(error) && error.code === "delayed-events-unsupported") {
 *     console.warn("this homeserver cannot clean up after a crash; not joining");
 *   }
 * }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export class LeaveSchedulerError extends Error {
  /** Cross-copy marker; see {@link LeaveSchedulerError.isInstance}. */
  readonly [marker] = true;

  /** What went wrong. */
  readonly code: LeaveSchedulerErrorCode;

  constructor(code: LeaveSchedulerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LeaveSchedulerError";
    this.code = code;
  }

  /** True for a {@link LeaveSchedulerError} from any copy of this package. */
  static isInstance(value: unknown): value is LeaveSchedulerError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { readonly [marker]?: unknown })[marker] === true
    );
  }
}
