const marker = Symbol.for("@mxrtc/focus/FocusError");

/**
 * Options for {@link FocusError}.
 *
 * @example
 * ```ts
 * const options: FocusErrorOptions = { code: "connect-failed", focusType: "livekit" };
 * ```
 */
export interface FocusErrorOptions {
  /** Machine-readable code, kebab case, e.g. `"connect-failed"`, `"token-request-failed"`. */
  readonly code: string;
  /** The transport type of the focus that failed, e.g. `"livekit"` or `"io.mxrtc.mediasoup"`. */
  readonly focusType?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * Base class of every error a focus plugin throws or reports.
 *
 * @remarks Check errors with {@link FocusError.isInstance}, never `instanceof`: a plugin may
 * bundle its own copy of `@mxrtc/focus`, and the `Symbol.for("@mxrtc/focus/FocusError")` marker
 * works across copies. Plugins subclass it (or use it directly) and set `code` and `focusType`.
 *
 * @example
 * ```ts
 * import { FocusError } from "@mxrtc/focus";
 *
 * class MyFocusError extends FocusError {}
 * const error = new MyFocusError("SFU refused the token", {
 *   code: "connect-failed",
 *   focusType: "com.example.sfu",
 * });
 * FocusError.isInstance(error); // true
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export class FocusError extends Error {
  /** Cross-copy marker; see {@link FocusError.isInstance}. */
  readonly [marker] = true;
  /** Machine-readable code, kebab case. */
  readonly code: string;
  /** The transport type of the focus that failed, when known. */
  readonly focusType?: string;

  constructor(message: string, options: FocusErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FocusError";
    this.code = options.code;
    if (options.focusType !== undefined) this.focusType = options.focusType;
  }

  /** True for a {@link FocusError} (or subclass) from any copy of `@mxrtc/focus`. */
  static isInstance(value: unknown): value is FocusError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { readonly [marker]?: unknown })[marker] === true
    );
  }
}
