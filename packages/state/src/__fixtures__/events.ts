/**
 * Real-shaped client events built from docs/matrixrtc-specs.md (§1.2, §1.3, §1.5) and the
 * matrix-js-sdk test fixtures described in docs/prior-art.md (§1.1, §1.2).
 */
export const ROOM_ID = "!room:example.org";
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const T0 = 1_760_000_000_000;

export const LIVEKIT_A = {
  type: "livekit",
  livekit_service_url: "https://rtc.example.org/livekit/jwt",
  livekit_alias: ROOM_ID,
} as const;
export const LIVEKIT_B = {
  type: "livekit",
  livekit_service_url: "https://rtc.other.example/livekit/jwt",
  livekit_alias: ROOM_ID,
} as const;

let counter = 0;
/** A fresh, unique event id. */
export function nextEventId(prefix = "ev"): string {
  counter += 1;
  return `$${prefix}${counter.toString().padStart(6, "0")}`;
}

/** `m.room.member` state event. */
export function roomMember(
  userId: string,
  membership: string,
  ts: number,
  eventId = nextEventId("member"),
) {
  return {
    type: "m.room.member",
    state_key: userId,
    sender: userId,
    event_id: eventId,
    origin_server_ts: ts,
    room_id: ROOM_ID,
    content: { membership, displayname: userId.slice(1, 6) },
  };
}

/** Legacy state key as js-sdk writes it: `_${user}_${device}_m.call`. */
export function legacyStateKey(
  userId: string,
  deviceId: string,
  application = "m.call",
  callId = "",
): string {
  return `_${userId}_${deviceId}_${application}${callId}`;
}

export interface LegacyJoinInput {
  readonly sender: string;
  readonly deviceId: string;
  readonly ts: number;
  readonly eventId?: string;
  readonly stateKey?: string;
  readonly createdTs?: number;
  readonly expires?: number;
  readonly focusSelection?: string;
  readonly foci?: readonly Record<string, unknown>[];
  readonly application?: string;
  readonly callId?: string;
}

/** Legacy `org.matrix.msc3401.call.member` join, exactly the shape js-sdk's MembershipManager sends. */
export function legacyJoin(input: LegacyJoinInput) {
  const application = input.application ?? "m.call";
  const callId = input.callId ?? "";
  const content: Record<string, unknown> = {
    application,
    call_id: callId,
    device_id: input.deviceId,
    expires: input.expires ?? 14_400_000,
    foci_preferred: input.foci ?? [LIVEKIT_A],
    membershipID: `${input.sender}:${input.deviceId}`,
    focus_active: { type: "livekit", focus_selection: input.focusSelection ?? "oldest_membership" },
    scope: "m.room",
  };
  if (input.createdTs !== undefined) content.created_ts = input.createdTs;
  return {
    type: "org.matrix.msc3401.call.member",
    state_key: input.stateKey ?? legacyStateKey(input.sender, input.deviceId, application, callId),
    sender: input.sender,
    event_id: input.eventId ?? nextEventId("legacy"),
    origin_server_ts: input.ts,
    room_id: ROOM_ID,
    content,
  };
}

/** Legacy leave: the same state key with empty content. */
export function legacyLeave(input: {
  sender: string;
  deviceId: string;
  ts: number;
  eventId?: string;
  stateKey?: string;
}) {
  return {
    type: "org.matrix.msc3401.call.member",
    state_key: input.stateKey ?? legacyStateKey(input.sender, input.deviceId),
    sender: input.sender,
    event_id: input.eventId ?? nextEventId("legacy"),
    origin_server_ts: input.ts,
    room_id: ROOM_ID,
    content: {},
  };
}

export interface StickyJoinInput {
  readonly sender: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly ts: number;
  readonly eventId?: string;
  readonly userId?: string;
  readonly durationMs?: number;
  readonly ttlMs?: number;
  readonly slotId?: string;
  readonly applicationType?: string;
  readonly transports?: readonly Record<string, unknown>[];
  /** js-sdk 42 wrote `rtc_transports`; 43 writes `transports.published`. */
  readonly shape?: "42" | "43";
}

/** js-sdk sticky `org.matrix.msc4143.rtc.member` join (StickyEventMembershipManager). */
export function stickyJoin(input: StickyJoinInput) {
  const transports = input.transports ?? [
    { type: "livekit", livekit_service_url: LIVEKIT_B.livekit_service_url },
  ];
  const content: Record<string, unknown> = {
    application: { type: input.applicationType ?? "m.call", "m.call.intent": "video" },
    slot_id: input.slotId ?? "m.call#ROOM",
    member: {
      device_id: input.deviceId,
      user_id: input.userId ?? input.sender,
      id: input.memberId,
    },
    versions: [],
    msc4354_sticky_key: input.memberId,
  };
  if (input.shape === "42") content.rtc_transports = transports;
  else content.transports = { published: transports, can_subscribe: ["livekit"] };
  const event: Record<string, unknown> = {
    type: "org.matrix.msc4143.rtc.member",
    sender: input.sender,
    event_id: input.eventId ?? nextEventId("sticky"),
    origin_server_ts: input.ts,
    room_id: ROOM_ID,
    msc4354_sticky: { duration_ms: input.durationMs ?? HOUR },
    content,
  };
  if (input.ttlMs !== undefined) event.unsigned = { msc4354_sticky_duration_ttl_ms: input.ttlMs };
  return event;
}

/** js-sdk sticky leave: only the sticky key. */
export function stickyLeave(input: {
  sender: string;
  memberId: string;
  ts: number;
  eventId?: string;
}) {
  return {
    type: "org.matrix.msc4143.rtc.member",
    sender: input.sender,
    event_id: input.eventId ?? nextEventId("sticky"),
    origin_server_ts: input.ts,
    room_id: ROOM_ID,
    msc4354_sticky: { duration_ms: HOUR },
    content: { slot_id: "m.call#ROOM", msc4354_sticky_key: input.memberId },
  };
}

/** Latest MSC4143 draft `m.rtc.member` (member.membership, sticky_key, transports.published). */
export function draftMember(input: {
  sender: string;
  memberId: string;
  ts: number;
  membership?: "join" | "leave";
  eventId?: string;
  slotId?: string;
  type?: string;
}) {
  const membership = input.membership ?? "join";
  const content: Record<string, unknown> = {
    slot_id: input.slotId ?? "m.call#ROOM",
    member: { id: input.memberId, membership },
    sticky_key: input.memberId,
  };
  if (membership === "join") {
    content.application = { type: "m.call" };
    content.transports = { published: [{ type: "livekit" }], can_subscribe: ["livekit"] };
  } else {
    content.leave_reason = { code: "leave", reason: "hung up" };
  }
  return {
    type: input.type ?? "m.rtc.member",
    sender: input.sender,
    event_id: input.eventId ?? nextEventId("draft"),
    origin_server_ts: input.ts,
    room_id: ROOM_ID,
    sticky: { duration_ms: HOUR },
    content,
  };
}

/** `m.rtc.slot` state event (latest draft: status open/closed). */
export function slotEvent(input: {
  ts: number;
  status: "open" | "closed";
  slotId?: string;
  sender?: string;
  eventId?: string;
  type?: string;
}) {
  const content: Record<string, unknown> =
    input.status === "open"
      ? { status: "open", application: { type: "m.call" } }
      : { status: "closed" };
  return {
    type: input.type ?? "m.rtc.slot",
    state_key: input.slotId ?? "m.call#ROOM",
    sender: input.sender ?? "@admin:example.org",
    event_id: input.eventId ?? nextEventId("slot"),
    origin_server_ts: input.ts,
    room_id: ROOM_ID,
    content,
  };
}

export const ALICE = "@alice:example.org";
export const BOB = "@bob:example.org";
export const CAROL = "@carol:other.example";
export const MALLORY = "@mallory:evil.example";
/** MSC4014 pseudonymous sender: a per-room user id whose localpart is a public key. */
export const PSEUDONYMOUS = "@pCMVpMSgJDvNTLA7hiq1ZPCZ2rM7pl98u3VCpx5ZSi8:pseudo.example";
/** MSC4080 cryptographic identity: a sender that is not an @-MXID at all. */
export const CRYPTO_ID = "~ed25519:Ua3Wr5T1MdhVsv6Z_TgyR1NSmHbhYk2G9pk3hjVUjsA";
