import { describe, expect, it } from "vitest";
import { mapLivekitDisconnectReason } from "./map-disconnect-reason.js";
import { LIVEKIT_DISCONNECT_REASON as REASON } from "./room-like.js";

describe("mapLivekitDisconnectReason", () => {
  it.each([
    [REASON.CLIENT_INITIATED, false, undefined],
    [REASON.CLIENT_INITIATED, true, undefined],
    [REASON.PARTICIPANT_REMOVED, false, "kicked"],
    [REASON.DUPLICATE_IDENTITY, true, "kicked"],
    [REASON.SERVER_SHUTDOWN, false, "server-left"],
    [REASON.ROOM_DELETED, true, "server-left"],
    [REASON.ROOM_CLOSED, false, "server-left"],
    [REASON.JOIN_FAILURE, false, "reconnect-failed"],
    [REASON.SIGNAL_CLOSE, false, "media-connection-lost"],
    [REASON.SIGNAL_CLOSE, true, "reconnect-failed"],
    [REASON.MEDIA_FAILURE, false, "media-connection-lost"],
    [REASON.CONNECTION_TIMEOUT, true, "reconnect-failed"],
    [REASON.UNKNOWN_REASON, false, "media-connection-lost"],
    [undefined, false, "media-connection-lost"],
    [undefined, true, "reconnect-failed"],
    [99, false, "media-connection-lost"],
  ])("reason %s (reconnecting %s) → %s", (reason, reconnecting, expected) => {
    expect(mapLivekitDisconnectReason(reason, reconnecting)).toBe(expected);
  });
});
