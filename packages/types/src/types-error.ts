const marker = Symbol.for("@mxrtc/types/TypesError");

/**
 * Base error of `@mxrtc/types`. Only the writers throw it, when the caller passes invalid input
 * (e.g. a malformed slot id); parsers never throw.
 *
 * @remarks Check with {@link TypesError.isInstance}, not `instanceof`: another copy of this package
 * may be bundled elsewhere. `code` says why; the writers use `"invalid-slot-id"`.
 * @example
 * ```ts
 * try { buildStickyLeaveContent({ memberId, slotId: "nope" }); }
 * catch (error) { if (TypesError.isInstance(error)) console.warn(error.code); }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export class TypesError extends Error {
  /** Machine-readable reason. */
  readonly code: string;
  readonly [marker] = true;

  constructor(code: string, message: string) {
    super(message);
    this.name = "TypesError";
    this.code = code;
  }

  /** True for any `TypesError`, from any copy of this package. */
  static isInstance(value: unknown): value is TypesError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [marker]?: unknown })[marker] === true
    );
  }
}
