import { matrixRequest } from "./matrix-http.js";
import type { SynapseInfo } from "./start-synapse.js";

/** State event types whose required power level {@link createCallRoom} sets. */
export const CALL_MEMBER_EVENT_TYPES = [
  "org.matrix.msc3401.call.member",
  "org.matrix.msc4143.rtc.member",
] as const;

/**
 * Creates a room fit for MatrixRTC calls and returns its id.
 *
 * @remarks Like Element: `power_level_content_override.events` sets the level for
 * `org.matrix.msc3401.call.member` and `org.matrix.msc4143.rtc.member` to `memberLevel`
 * (default 0, so every member may publish a membership; pass 50 to test the 403 path).
 * Preset `private_chat` with the given `invite` list, else `public_chat` (anyone may join).
 *
 * @example
 * ```ts
 * const roomId = await createCallRoom(synapse, alice, { invite: [bob.userId] });
 * await joinRoom(synapse, bob, roomId);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export async function createCallRoom(
  info: SynapseInfo,
  owner: { accessToken: string },
  options: { invite?: string[]; memberLevel?: number; name?: string } = {},
): Promise<string> {
  const level = options.memberLevel ?? 0;
  const invite = options.invite ?? [];
  const events: Record<string, number> = {};
  for (const type of CALL_MEMBER_EVENT_TYPES) events[type] = level;
  const { room_id: roomId } = await matrixRequest<{ room_id: string }>(
    info.baseUrl,
    "POST",
    "/_matrix/client/v3/createRoom",
    {
      accessToken: owner.accessToken,
      body: {
        preset: invite.length > 0 ? "private_chat" : "public_chat",
        invite,
        ...(options.name === undefined ? {} : { name: options.name }),
        power_level_content_override: { events },
      },
    },
  );
  return roomId;
}
