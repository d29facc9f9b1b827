import { type MatrixPort, matrixPath } from "@mxrtc/matrix";

/**
 * The content of one state event (`GET /rooms/{roomId}/state/{type}/`), or `undefined` when it is
 * missing or the request fails. Never throws.
 *
 * @example
 * ```ts
 * const create = await readStateContent(matrix, roomId, "m.room.create");
 * const roomVersion = create?.room_version;
 * ```
 */
export async function readStateContent(
  matrix: Pick<MatrixPort, "request">,
  roomId: string,
  type: string,
  stateKey = "",
): Promise<Record<string, unknown> | undefined> {
  try {
    const content = await matrix.request<unknown>({
      method: "GET",
      path: matrixPath`/_matrix/client/v3/rooms/${roomId}/state/${type}/${stateKey}`,
    });
    return typeof content === "object" && content !== null && !Array.isArray(content)
      ? (content as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
