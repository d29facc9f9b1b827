/**
 * Builds a client-server API path, percent-encoding every interpolated segment (room ids, event
 * types, state keys, user ids with `@ : ! #` and so on).
 *
 * @remarks Throws a `URIError` for strings that are not valid UTF-16 (lone surrogates).
 *
 * @example
 * ```ts
 * matrixPath`/_matrix/client/v3/rooms/${"!room:example.org"}/state/${"m.room.name"}/${""}`;
 * // "/_matrix/client/v3/rooms/!room%3Aexample.org/state/m.room.name/"
 * ```
 */
export function matrixPath(strings: TemplateStringsArray, ...segments: readonly string[]): string {
  let path = strings[0] ?? "";
  for (let index = 0; index < segments.length; index++) {
    path += encodeURIComponent(segments[index] ?? "") + (strings[index + 1] ?? "");
  }
  return path;
}
