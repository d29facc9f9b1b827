const marker = Symbol.for("@mxrtc/state/RtcStateError");

/**
 * The one error class of @mxrtc/state, thrown only for programming errors (a value that is not
 * a state from {@link createRoomRtcState}, invalid options). Bad events never throw.
 *
 * @remarks Check with `RtcStateError.isInstance(error)`, not `instanceof`: a bundle may hold
 * several copies of this package.
 * @example
 * ```ts
 * try { selectMemberships({} as RoomRtcState, { slotId: "m.call#ROOM", now: 0 }); }
 * catch (error) { if (RtcStateError.isInstance(error)) console.error(error.code); }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export class RtcStateError extends Error {
  /** @internal */
  readonly [marker] = true;
  override readonly name = "RtcStateError";

  constructor(
    /** `invalid-state` or `invalid-options`. */
    readonly code: "invalid-state" | "invalid-options",
    message: string,
  ) {
    super(message);
  }

  /** Whether `value` is an RtcStateError from any copy of this package. */
  static isInstance(value: unknown): value is RtcStateError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[marker] === true
    );
  }
}
