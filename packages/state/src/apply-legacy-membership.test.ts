import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  CRYPTO_ID,
  HOUR,
  LIVEKIT_A,
  LIVEKIT_B,
  legacyJoin,
  legacyLeave,
  legacyStateKey,
  MALLORY,
  MINUTE,
  PSEUDONYMOUS,
  roomMember,
  T0,
} from "./__fixtures__/events.js";
import { applyEvent, applyEvents } from "./apply-event.js";
import { createRoomRtcState, type RoomRtcState } from "./room-rtc-state.js";
import { selectDiagnostics } from "./select-diagnostics.js";
import { selectMemberships } from "./select-memberships.js";

const SLOT = "m.call#ROOM";
const joined = (...users: string[]) => users.map((user) => roomMember(user, "join", T0 - HOUR));
const build = (events: readonly unknown[]): RoomRtcState =>
  applyEvents(createRoomRtcState({ roomId: "!r" }), events);
const members = (state: RoomRtcState, now = T0 + MINUTE, slotId = SLOT) =>
  selectMemberships(state, { slotId, now });

describe("legacy org.matrix.msc3401.call.member", () => {
  it("counts a joined sender's membership with js-sdk's exact content", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "AAAAAAA", ts: T0 }),
    ]);
    const [member] = members(state);
    expect(member).toMatchObject({
      userId: ALICE,
      deviceId: "AAAAAAA",
      memberId: `${ALICE}:AAAAAAA`,
      slotId: SLOT,
      dialect: "legacy",
      createdTs: T0,
      expiresTs: T0 + 4 * HOUR,
      focusSelection: "oldest_membership",
      transports: [LIVEKIT_A],
    });
    expect(selectDiagnostics(state)).toEqual([]);
  });

  it("expires at (created_ts ?? origin_server_ts) + (expires ?? 4 h)", () => {
    const refreshed = legacyJoin({
      sender: ALICE,
      deviceId: "A",
      ts: T0 + 3 * HOUR,
      createdTs: T0,
      expires: 2 * 4 * HOUR,
    });
    const state = build([...joined(ALICE), refreshed]);
    expect(members(state, T0 + 8 * HOUR - 1)).toHaveLength(1);
    expect(members(state, T0 + 8 * HOUR)).toHaveLength(0);
    const noExpires = legacyJoin({ sender: BOB, deviceId: "B", ts: T0 });
    delete (noExpires.content as Record<string, unknown>).expires;
    const second = build([...joined(BOB), noExpires]);
    expect(members(second, T0 + 4 * HOUR - 1)).toHaveLength(1);
    expect(members(second, T0 + 4 * HOUR)).toHaveLength(0);
  });

  it("keeps createdTs across refreshes that carry created_ts", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 + HOUR, createdTs: T0, expires: 8 * HOUR }),
    ]);
    expect(members(state, T0 + 5 * HOUR)[0]?.createdTs).toBe(T0);
  });

  it("drops the membership on a leave ({})", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      legacyLeave({ sender: ALICE, deviceId: "A", ts: T0 + MINUTE }),
    ]);
    expect(members(state)).toEqual([]);
  });

  it("rejects a forged state key (anyone with state power can write _@alice…) and says why", () => {
    const forged = legacyJoin({
      sender: MALLORY,
      deviceId: "A",
      ts: T0 + 5,
      stateKey: legacyStateKey(ALICE, "A"),
    });
    const state = build([
      ...joined(ALICE, MALLORY),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      forged,
    ]);
    // The forged event replaced Alice's valid membership in room state; neither counts.
    expect(members(state)).toEqual([]);
    expect(selectDiagnostics(state)).toEqual([
      expect.objectContaining({
        code: "forged-membership",
        eventId: forged.event_id,
        sender: MALLORY,
        path: "state_key",
      }),
    ]);
  });

  it("rejects a device id that does not match the state key", () => {
    const forged = legacyJoin({
      sender: ALICE,
      deviceId: "OTHER",
      ts: T0,
      stateKey: legacyStateKey(ALICE, "A"),
    });
    expect(members(build([...joined(ALICE), forged]))).toEqual([]);
  });

  it.each([
    ["MSC4014 pseudonymous", PSEUDONYMOUS],
    ["MSC4080 cryptographic", CRYPTO_ID],
  ])("treats %s senders as opaque strings", (_label, sender) => {
    const state = build([
      ...joined(sender, MALLORY),
      legacyJoin({ sender, deviceId: "D1", ts: T0 }),
      legacyJoin({
        sender: MALLORY,
        deviceId: "D2",
        ts: T0,
        stateKey: legacyStateKey(sender, "D2"),
      }),
    ]);
    expect(members(state).map((member) => member.userId)).toEqual([sender]);
    expect(selectDiagnostics(state).map((diagnostic) => diagnostic.code)).toEqual([
      "forged-membership",
    ]);
  });

  it("accepts the owned-state form without the leading underscore", () => {
    const event = legacyJoin({
      sender: ALICE,
      deviceId: "A",
      ts: T0,
      stateKey: `${ALICE}_A_m.call`,
    });
    expect(members(build([...joined(ALICE), event]))).toHaveLength(1);
  });

  it("compares application AND id when matching slots", () => {
    const other = legacyJoin({
      sender: ALICE,
      deviceId: "A",
      ts: T0,
      application: "io.example.game",
      callId: "ROOM",
    });
    const state = build([...joined(ALICE), other]);
    expect(members(state)).toEqual([]);
    expect(members(state, T0 + MINUTE, "io.example.game#ROOM")).toHaveLength(1);
  });

  it("an invalid update removes the earlier valid membership and is diagnosed with a path", () => {
    const broken = {
      ...legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 + 1 }),
      content: { application: "m.call", call_id: "" },
    };
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      broken,
    ]);
    expect(members(state)).toEqual([]);
    const [diagnostic] = selectDiagnostics(state);
    expect(diagnostic).toMatchObject({
      code: "invalid-content",
      eventId: broken.event_id,
      sender: ALICE,
    });
    expect(diagnostic?.path).toMatch(/^content\./);
  });

  it("does not count a join without focus_active (matrix-js-sdk 43 rejects it too)", () => {
    const event = legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 });
    const { focus_active: _dropped, ...content } = event.content;
    const withoutFocus = { ...event, content };
    const state = build([...joined(ALICE), withoutFocus]);
    expect(members(state)).toEqual([]);
    expect(selectDiagnostics(state)).toEqual([
      expect.objectContaining({
        code: "invalid-content",
        eventId: event.event_id,
        path: "content.focus_active",
      }),
    ]);
    const numericType = {
      ...event,
      event_id: "$numeric",
      content: { ...content, focus_active: { type: 1 } },
    };
    expect(selectDiagnostics(build([...joined(ALICE), numericType]))).toEqual([
      expect.objectContaining({ code: "invalid-content", path: "content.focus_active.type" }),
    ]);
  });

  it("follows the server's order, not origin_server_ts", () => {
    const later = legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 + HOUR });
    const earlierLeave = legacyLeave({ sender: ALICE, deviceId: "A", ts: T0 });
    expect(members(build([...joined(ALICE), later, earlierLeave]), T0 + 2 * HOUR)).toEqual([]);
    expect(members(build([...joined(ALICE), earlierLeave, later]), T0 + 2 * HOUR)).toHaveLength(1);
  });

  it("ignores a repeated event id, even after a newer event", () => {
    const join = legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 });
    const leave = legacyLeave({ sender: ALICE, deviceId: "A", ts: T0 + 1 });
    const once = build([...joined(ALICE), join, leave]);
    const again = applyEvent(once, join);
    expect(members(again)).toEqual([]);
    expect(selectDiagnostics(again).at(-1)).toMatchObject({
      code: "duplicate-event",
      eventId: join.event_id,
    });
  });

  it("needs the sender to be joined to the room", () => {
    const state = build([legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 })]);
    expect(members(state)).toEqual([]);
    const afterJoin = applyEvent(state, roomMember(ALICE, "join", T0 + 10));
    expect(members(afterJoin)).toHaveLength(1);
    const afterLeave = applyEvent(afterJoin, roomMember(ALICE, "leave", T0 + 20));
    expect(members(afterLeave)).toEqual([]);
    const afterBan = applyEvent(afterJoin, roomMember(ALICE, "ban", T0 + 20));
    expect(members(afterBan)).toEqual([]);
  });

  it("orders oldest first by createdTs", () => {
    const state = build([
      ...joined(ALICE, BOB),
      legacyJoin({ sender: BOB, deviceId: "B", ts: T0 + 30 }),
      legacyJoin({
        sender: ALICE,
        deviceId: "A",
        ts: T0 + 40,
        createdTs: T0 + 10,
        foci: [LIVEKIT_B],
      }),
    ]);
    expect(members(state).map((member) => member.userId)).toEqual([ALICE, BOB]);
  });

  it("diagnoses an unknown focus_selection but still counts the member", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0, focusSelection: "round_robin" }),
    ]);
    expect(members(state)).toHaveLength(1);
    expect(selectDiagnostics(state)).toEqual([
      expect.objectContaining({ code: "unknown-focus-selection", applied: true }),
    ]);
  });

  it("reports a replaces_state that does not match the held event (missed events or a state reset)", () => {
    const join = legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 });
    const leave = {
      ...legacyLeave({ sender: ALICE, deviceId: "A", ts: T0 + 1 }),
      unsigned: { replaces_state: "$unknown" },
    };
    const state = build([...joined(ALICE), join, leave]);
    expect(members(state)).toEqual([]);
    expect(selectDiagnostics(state)).toEqual([
      expect.objectContaining({ code: "state-gap", applied: true, eventId: leave.event_id }),
    ]);
  });
});
