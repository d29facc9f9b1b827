import type { FocusMemberV1 } from "@mxrtc/focus";
import { createFakeFocusMatrixPort, createFakeLeavePort } from "@mxrtc/focus-testkit";
import {
  createLivekitFocusPlugin,
  type LivekitFocusConnection,
  type LivekitFocusPluginOptions,
} from "../index.js";
import { createFakeRoom, type FakeRoom, type FakeRoomOptions } from "./fake-room.js";
import { createFakeTokenService, FAKE_SERVICE_URL } from "./fake-token-service.js";

/** A sticky member (MSC4195 identity) and a legacy member (user:device identity). */
export const BOB: FocusMemberV1 = {
  userId: "@bob:example.org",
  deviceId: "BOBDEVICE",
  memberId: "bob-member-1",
  transports: [{ type: "livekit", livekit_service_url: FAKE_SERVICE_URL }],
};
export const CAROL: FocusMemberV1 = {
  userId: "@carol:example.org",
  deviceId: "CAROLDEVICE",
  memberId: "@carol:example.org:CAROLDEVICE",
  transports: [{ type: "livekit", livekit_service_url: FAKE_SERVICE_URL }],
};
export const CAROL_IDENTITY = "@carol:example.org:CAROLDEVICE";

/** Connects the plugin to a fake room and a fake token service (test support). */
export async function connectFixture(
  input: {
    readonly members?: readonly FocusMemberV1[];
    readonly room?: FakeRoomOptions;
    readonly plugin?: LivekitFocusPluginOptions;
    readonly signal?: AbortSignal;
  } = {},
) {
  const service = createFakeTokenService();
  const leavePort = createFakeLeavePort();
  const matrix = createFakeFocusMatrixPort();
  const room: FakeRoom = createFakeRoom(input.room);
  const plugin = createLivekitFocusPlugin({
    fetch: service.fetch,
    createRoom: () => room,
    ...input.plugin,
  });
  const connect = () =>
    plugin.connect({
      transport: { type: "livekit", livekit_service_url: `${FAKE_SERVICE_URL}/` },
      roomId: "!room:example.org",
      slotId: "m.call#ROOM",
      localMember: { userId: matrix.userId, deviceId: matrix.deviceId, memberId: "alice-member" },
      members: input.members ?? [],
      leavePort,
      matrix,
      signal: input.signal ?? new AbortController().signal,
    });
  return { service, leavePort, matrix, room, plugin, connect };
}

/** Records every event of a connection (test support). */
export function recordEvents(connection: LivekitFocusConnection): string[] {
  const events: string[] = [];
  connection.on("participant-joined", ({ member, participantId }) =>
    events.push(`joined ${member.memberId} as ${participantId}`),
  );
  connection.on("participant-left", ({ member, participantId }) =>
    events.push(`left ${member.memberId} as ${participantId}`),
  );
  connection.on("track-added", ({ participantId, kind, trackId }) =>
    events.push(`track+ ${participantId} ${kind} ${trackId}`),
  );
  connection.on("track-removed", ({ participantId, trackId }) =>
    events.push(`track- ${participantId} ${trackId}`),
  );
  return events;
}

/** Lets pending microtasks and a 0 ms timer run. */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
