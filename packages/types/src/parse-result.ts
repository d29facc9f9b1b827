/**
 * Why a parser rejected its input.
 *
 * @remarks `path` names the offending field from the root the parser was given, e.g.
 * `content.member.user_id` or `content.transports.published[2].type`; it is never empty.
 * @example
 * ```ts
 * const result = parseRtcMemberContent(content);
 * if (!result.ok) console.warn(`${result.error.path}: ${result.error.message}`);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface ParseError {
  readonly path: string;
  readonly message: string;
}

/**
 * Outcome of a parser: the value, or a {@link ParseError}. Parsers in this package never throw.
 *
 * @example
 * ```ts
 * const result = parseSlotId("m.call#ROOM");
 * if (result.ok) console.log(result.value.application); // "m.call"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ParseError };
