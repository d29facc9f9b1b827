const stackErrorMarker = Symbol.for("@mxrtc/stack/StackError");

/**
 * Base class of every error thrown by `@mxrtc/stack`.
 *
 * @remarks Use {@link StackError.isInstance} instead of `instanceof`: the check works across
 * copies of the package. `code` names the failure: `"install-failed"`, `"start-failed"`,
 * `"http-failed"`, `"invalid-state"`.
 *
 * @example
 * ```ts
 * try { await startSynapse(); } catch (error) { if (StackError.isInstance(error)) console.error(error.code); }
 * ```
 */
export class StackError extends Error {
  /** Machine-readable failure name. */
  readonly code: string;
  readonly [stackErrorMarker] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StackError";
    this.code = code;
  }

  /** True for any `StackError`, from any copy of the package. */
  static isInstance(value: unknown): value is StackError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[stackErrorMarker] === true
    );
  }
}
