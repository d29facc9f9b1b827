import { MatrixConnectionError, MatrixError, MatrixResponseError } from "@mxrtc/matrix";
import { CliError } from "./cli-io.js";

/**
 * One line saying why a request to the homeserver failed and what to do about it.
 *
 * @remarks Knows `M_UNKNOWN_TOKEN`/`M_MISSING_TOKEN` (bad `--token`), `M_FORBIDDEN` (not joined
 * to the room, or not allowed), an unreachable server and a reply that is not JSON.
 * @example
 * ```ts
 * describeMatrixFailure(error, { homeserver: "http://127.0.0.1:8008", roomId: "!a:b" });
 * // "the homeserver rejected the access token (M_UNKNOWN_TOKEN): check --token"
 * ```
 */
export function describeMatrixFailure(
  error: unknown,
  context: { readonly homeserver: string; readonly roomId?: string },
): string {
  if (MatrixError.isInstance(error)) {
    const code = error.errcode ?? `HTTP ${error.status}`;
    if (error.errcode === "M_UNKNOWN_TOKEN" || error.errcode === "M_MISSING_TOKEN") {
      return `the homeserver rejected the access token (${code}): check --token, or log in again`;
    }
    if (error.errcode === "M_FORBIDDEN" && context.roomId !== undefined) {
      return `not allowed in room ${context.roomId} (${code}): the user must have joined it (${error.message})`;
    }
    return `the homeserver replied ${error.status} ${code}: ${error.message}`;
  }
  if (MatrixConnectionError.isInstance(error)) {
    return `cannot reach the homeserver at ${context.homeserver} (${error.reason}): is it running, and is --homeserver right?`;
  }
  if (MatrixResponseError.isInstance(error)) {
    return `${context.homeserver} did not answer like a Matrix homeserver (HTTP ${error.status}, not JSON): is --homeserver right?`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The same as a {@link CliError} (exit code 2), for failures that end a command.
 *
 * @example
 * ```ts
 * throw matrixFailure(error, { homeserver, roomId });
 * ```
 */
export function matrixFailure(
  error: unknown,
  context: { readonly homeserver: string; readonly roomId?: string },
): CliError {
  return new CliError(describeMatrixFailure(error, context), { cause: error });
}
