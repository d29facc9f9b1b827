import type { ClientEvent } from "@mxrtc/matrix";
import {
  buildLegacyMembershipContent,
  buildStickyMembershipContent,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
  type RtcTransport,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
} from "@mxrtc/types";

export const ROOM = "!call:example.org";
export const ALICE = "@alice:example.org";
export const BOB = "@bob:example.org";
export const CAROL = "@carol:example.org";
export const SFU_A: RtcTransport = {
  type: "livekit",
  livekit_service_url: "https://sfu-a.example.org",
  livekit_alias: ROOM,
};
export const SFU_B: RtcTransport = {
  type: "livekit",
  livekit_service_url: "https://sfu-b.example.org",
  livekit_alias: ROOM,
};

let counter = 0;
const id = () => `$fixture${++counter}`;

/** m.room.create, power levels and joined members. */
export function roomState(
  options: { roomVersion?: string; memberLevel?: number; users?: string[] } = {},
): ClientEvent[] {
  const ts = Date.now() - 60_000;
  const users = options.users ?? [ALICE, BOB, CAROL];
  return [
    {
      type: "m.room.create",
      state_key: "",
      sender: ALICE,
      event_id: id(),
      origin_server_ts: ts,
      content: { room_version: options.roomVersion ?? "10", creator: ALICE },
    },
    {
      type: "m.room.power_levels",
      state_key: "",
      sender: ALICE,
      event_id: id(),
      origin_server_ts: ts,
      content: {
        users: { [CAROL]: 100 },
        users_default: 0,
        state_default: 50,
        events: { [LEGACY_MEMBERSHIP_EVENT_TYPE]: options.memberLevel ?? 0 },
      },
    },
    ...users.map((user) => ({
      type: "m.room.member",
      state_key: user,
      sender: user,
      event_id: id(),
      origin_server_ts: ts,
      content: { membership: "join" },
    })),
  ];
}

/** A legacy membership of `user`/`device` written at `ts`. */
export function legacyMember(
  user: string,
  device: string,
  transports: readonly RtcTransport[],
  options: { ts?: number; createdTs?: number; focusSelection?: string } = {},
): ClientEvent {
  return {
    type: LEGACY_MEMBERSHIP_EVENT_TYPE,
    state_key: legacyMembershipStateKey({ userId: user, deviceId: device, slotId: "m.call#ROOM" }),
    sender: user,
    event_id: id(),
    origin_server_ts: options.ts ?? Date.now(),
    content: buildLegacyMembershipContent({
      deviceId: device,
      slotId: "m.call#ROOM",
      transports,
      ...(options.createdTs !== undefined && { createdTs: options.createdTs }),
      ...(options.focusSelection !== undefined && { focusSelection: options.focusSelection }),
    }),
  };
}

/** A legacy leave (empty content) of `user`/`device`. */
export function legacyLeave(user: string, device: string): ClientEvent {
  return {
    type: LEGACY_MEMBERSHIP_EVENT_TYPE,
    state_key: legacyMembershipStateKey({ userId: user, deviceId: device, slotId: "m.call#ROOM" }),
    sender: user,
    event_id: id(),
    origin_server_ts: Date.now(),
    content: {},
  };
}

/** A js-sdk sticky membership. */
export function stickyMember(
  user: string,
  device: string,
  transports: readonly RtcTransport[],
): ClientEvent {
  return {
    type: UNSTABLE_RTC_MEMBER_EVENT_TYPE,
    sender: user,
    event_id: id(),
    origin_server_ts: Date.now(),
    msc4354_sticky: { duration_ms: 3_600_000 },
    content: buildStickyMembershipContent({
      userId: user,
      deviceId: device,
      memberId: `${user}:${device}`,
      slotId: "m.call#ROOM",
      transports,
    }),
  };
}
