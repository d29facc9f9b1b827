import { matrixRequest } from "./matrix-http.js";
import type { SynapseInfo } from "./start-synapse.js";

/**
 * Joins a room (public, or one the user was invited to).
 *
 * @example
 * ```ts
 * await joinRoom(synapse, bob, roomId);
 * ```
 */
export async function joinRoom(
  info: SynapseInfo,
  user: { accessToken: string },
  roomId: string,
): Promise<void> {
  await matrixRequest(
    info.baseUrl,
    "POST",
    `/_matrix/client/v3/join/${encodeURIComponent(roomId)}`,
    {
      accessToken: user.accessToken,
      body: {},
    },
  );
}
