// Exact JSON from /work/shared/docs/matrixrtc-specs.md §1.1–§1.3 and prior-art.md §1.1–§1.2
// (matrix-js-sdk tests and the MSC4143 drafts). Placeholders such as "{member_id}" are kept as written.

/** prior-art §1.1: join sent by MembershipManager (MembershipManager.spec.ts). */
export const legacyJoinFromMembershipManager = {
  application: "m.call",
  call_id: "",
  device_id: "AAAAAAA",
  expires: 14400000,
  foci_preferred: [
    {
      type: "livekit",
      livekit_service_url: "https://active.url",
      livekit_alias: "!active:active.url",
    },
  ],
  membershipID: "@alice:example.org:AAAAAAA",
  focus_active: { type: "livekit", focus_selection: "oldest_membership" },
  scope: "m.room",
};

/** prior-art §1.1: remote member fixture (mocks.ts sessionMembershipTemplate). */
export const legacySessionMembershipTemplate = {
  application: "m.call",
  call_id: "",
  device_id: "AAAAAAA",
  scope: "m.room",
  focus_active: { type: "livekit", focus_selection: "oldest_membership" },
  foci_preferred: [
    {
      livekit_alias: "!alias:something.org",
      livekit_service_url: "https://livekit-jwt.something.io",
      type: "livekit",
    },
    {
      livekit_alias: "!alias:something.org",
      livekit_service_url: "https://livekit-jwt.something.dev",
      type: "livekit",
    },
  ],
};

/** prior-art §1.1: Element Call multi-SFU update. */
export const legacyMultiSfuUpdate = {
  application: "m.call",
  call_id: "",
  scope: "m.room",
  device_id: "AAAAAAA",
  membershipID: "@alice:example.org:AAAAAAA",
  expires: 28800000,
  "m.call.intent": "video",
  focus_active: { type: "livekit", focus_selection: "multi_sfu" },
  foci_preferred: [
    {
      livekit_alias: "!room:example.org",
      type: "livekit",
      livekit_service_url: "https://rtc.example.org/livekit/jwt",
    },
  ],
  created_ts: 1760000000000,
};

/** specs §1.3: deployed G1 wire format (with "m.call.intent": "audio"). */
export const legacyDeployedG1 = {
  application: "m.call",
  call_id: "",
  scope: "m.room",
  device_id: "DEVICEID",
  membershipID: "@alice:hs:DEVICEID",
  expires: 14400000,
  "m.call.intent": "audio",
  focus_active: { type: "livekit", focus_selection: "oldest_membership" },
  foci_preferred: [
    { type: "livekit", livekit_service_url: "https://…", livekit_alias: "!roomid:hs" },
  ],
  created_ts: 1700000000000,
};

/** prior-art §1.2: join sent by StickyEventMembershipManager (js-sdk 42 shape, rtc_transports). */
export const stickyJoinFromManager = {
  application: { type: "m.call" },
  member: {
    user_id: "@alice:example.org",
    id: "@alice:example.org:AAAAAAA_m.call",
    device_id: "AAAAAAA",
  },
  slot_id: "m.call#ROOM",
  rtc_transports: [{ type: "livekit", livekit_service_url: "https://active.url" }],
  versions: [],
  msc4354_sticky_key: "@alice:example.org:AAAAAAA_m.call",
};

/** prior-art §1.2: delayed sticky leave. */
export const stickyLeave = { msc4354_sticky_key: "@alice:example.org:AAAAAAA_m.call" };

/** prior-art §1.2: mocks.ts rtcMembershipTemplate (transport oddly nests focus fields; slot_id "m.call#"). */
export const stickyRtcMembershipTemplate = {
  application: { type: "m.call" },
  member: { id: "IDIDID", user_id: "@mock:user.example", device_id: "AAAAAAA" },
  slot_id: "m.call#ROOM",
  versions: [],
  rtc_transports: [
    {
      type: "livekit",
      focus_active: { type: "livekit", focus_selection: "oldest_membership" },
      foci_preferred: ["…"],
    },
  ],
  msc4354_sticky_key: "m.call#",
};

/** prior-art §1.2: CallMembership.spec.ts fixture (identity jUZ0Q1yF5nV3LlAI5xfD1I7BPnAytJaPEAR57EXjJ6s). */
export const stickyCallMembershipSpec = {
  slot_id: "m.call#",
  application: { type: "m.call", "m.call.id": "", "m.call.intent": "voice" },
  member: { user_id: "@alice:example.org", device_id: "AAAAAAA", id: "xyzHASHxyz" },
  rtc_transports: [{ type: "livekit" }],
  versions: [],
  msc4354_sticky_key: "abc123",
};

/** specs §1.2: deployed G2 as described from 42.x source (with the sic "m.relation" key). */
export const stickyDeployedG2 = {
  application: { type: "m.call", "m.call.intent": "audio" },
  slot_id: "m.call#ROOM",
  rtc_transports: [{ type: "livekit", livekit_service_url: "https://…/livekit/jwt" }],
  member: { device_id: "DEVICEID", user_id: "@alice:hs", id: "<memberId>" },
  versions: [],
  "m.relation": { rel_type: "m.reference", event_id: "$first" },
  msc4354_sticky_key: "<memberId>",
};

/** specs §1.2 correction: what matrix-js-sdk 43 writes and requires. */
export const stickyJsSdk43 = {
  application: { type: "m.call", "m.call.intent": "audio" },
  slot_id: "m.call#ROOM",
  transports: {
    published: [{ type: "livekit", livekit_service_url: "https://rtc.example.org/livekit/jwt" }],
    can_subscribe: ["livekit"],
  },
  member: { device_id: "DEVICEID", user_id: "@alice:hs", id: "@alice:hs:DEVICEID" },
  versions: [],
  msc4354_sticky_key: "@alice:hs:DEVICEID",
};

/** specs §1.2: js-sdk 43 leave. */
export const stickyLeaveJsSdk43 = {
  slot_id: "m.call#ROOM",
  msc4354_sticky_key: "@alice:hs:DEVICEID",
};

/** specs §1.2: "sticky v1" MSC draft connect event (claimed_* member fields). */
export const stickyV1DraftConnect = {
  slot_id: "m.call#ROOM",
  application: { type: "m.call", "m.call.id": "2b6c3f4e-0d1a-4f3e-9b1e-3c9f8a7d6e5f" },
  member: {
    id: "xyzABCDEF0123",
    claimed_device_id: "DEVICEID",
    claimed_user_id: "@user:matrix.domain",
  },
  "m.relates_to": { rel_type: "m.reference", event_id: "$join_event_id" },
  rtc_transports: [
    { type: "livekit", livekit_service_url: "https://matrix-rtc.example.com/livekit/jwt" },
    { type: "full_mesh" },
  ],
  sticky_key: "xyzABCDEF0123",
  versions: ["v0", "example.mscXXXX.asymmetric_encryption"],
};

/** specs §1.2: "sticky v1" MSC draft disconnect event. */
export const stickyV1DraftDisconnect = {
  slot_id: "m.call#ROOM",
  "m.relates_to": { rel_type: "m.reference", event_id: "$join_event_id" },
  disconnect_reason: { class: "user_action", reason: "hangup" },
  sticky_key: "xyzABCDEF0123",
};

/** specs §1.1: latest MSC4143 draft join. */
export const msc4143Join = {
  slot_id: "m.call#ROOM",
  member: { id: "{member_id}", membership: "join" },
  application: { type: "m.call" },
  transports: { published: [{ type: "livekit" }], can_subscribe: ["livekit"] },
  sticky_key: "{member_id}",
};

/** specs §1.1: latest MSC4143 draft leave. */
export const msc4143Leave = {
  slot_id: "m.call#ROOM",
  member: { id: "{member_id}", membership: "leave" },
  leave_reason: { code: "{code}", reason: "{reason}" },
  sticky_key: "{member_id}",
};

/** specs §1.1: latest m.rtc.slot content. */
export const slotOpenLatest = {
  status: "open",
  application: { type: "m.call" },
  encryption: { type: "m.per_member" },
};

/** specs §1.2: sticky-v1 m.rtc.slot content (no status). */
export const slotOpenStickyV1 = {
  application: { type: "m.call", "m.call.id": "2b6c3f4e-0d1a-4f3e-9b1e-3c9f8a7d6e5f" },
};
