import type { DisconnectReason } from "@mxrtc/focus";
import { LIVEKIT_DISCONNECT_REASON as REASON } from "./room-like.js";

/**
 * Maps a livekit-client `RoomEvent.Disconnected` reason to the {@link DisconnectReason} the leave
 * port hears, or `undefined` when the disconnect was client-initiated (not a loss).
 *
 * @remarks `reconnecting` is true when the room was reconnecting when it gave up: any reason
 * other than a removal or a closed room then becomes `"reconnect-failed"`.
 * - `CLIENT_INITIATED` → `undefined` (someone called `room.disconnect()` on purpose)
 * - `PARTICIPANT_REMOVED`, `DUPLICATE_IDENTITY` → `"kicked"`
 * - `SERVER_SHUTDOWN`, `ROOM_DELETED`, `ROOM_CLOSED` → `"server-left"`
 * - `JOIN_FAILURE` → `"reconnect-failed"` (the room was connected before, so a join failure is a failed rejoin)
 * - anything else (signal closed, media failure, timeout, unknown, missing) → `"reconnect-failed"`
 *   while reconnecting, else `"media-connection-lost"`
 *
 * @example
 * ```ts
 * mapLivekitDisconnectReason(4, false); // "kicked"
 * mapLivekitDisconnectReason(1, false); // undefined
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function mapLivekitDisconnectReason(
  reason: number | undefined,
  reconnecting: boolean,
): DisconnectReason | undefined {
  switch (reason) {
    case REASON.CLIENT_INITIATED:
      return undefined;
    case REASON.PARTICIPANT_REMOVED:
    case REASON.DUPLICATE_IDENTITY:
      return "kicked";
    case REASON.SERVER_SHUTDOWN:
    case REASON.ROOM_DELETED:
    case REASON.ROOM_CLOSED:
      return "server-left";
    case REASON.JOIN_FAILURE:
      return "reconnect-failed";
    default:
      return reconnecting ? "reconnect-failed" : "media-connection-lost";
  }
}

/** The name of a LiveKit disconnect reason number, for messages (internal). */
export function livekitDisconnectReasonName(reason: number | undefined): string {
  if (reason === undefined) return "no reason";
  for (const [name, value] of Object.entries(REASON)) if (value === reason) return name;
  return `reason ${reason}`;
}
