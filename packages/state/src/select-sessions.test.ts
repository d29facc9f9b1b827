import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  CAROL,
  draftMember,
  HOUR,
  legacyJoin,
  legacyLeave,
  legacyStateKey,
  MALLORY,
  MINUTE,
  roomMember,
  slotEvent,
  stickyJoin,
  stickyLeave,
  T0,
} from "./__fixtures__/events.js";
import { applyEvents } from "./apply-event.js";
import { createRoomRtcState, type RoomRtcState } from "./room-rtc-state.js";
import { selectSessions } from "./select-sessions.js";
import { selectSlotIds } from "./select-slot-ids.js";

const SLOT = "m.call#ROOM";
const joined = (...users: string[]) => users.map((user) => roomMember(user, "join", T0 - HOUR));
const build = (events: readonly unknown[]): RoomRtcState =>
  applyEvents(createRoomRtcState({ roomId: "!r" }), events);

describe("selectSessions", () => {
  it("records start, end, peak and each participant's join and leave", () => {
    const state = build([
      ...joined(ALICE, BOB, CAROL),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      legacyJoin({ sender: BOB, deviceId: "B", ts: T0 + 2 * MINUTE }),
      stickyJoin({ sender: CAROL, deviceId: "C", memberId: "c1", ts: T0 + 3 * MINUTE }),
      legacyLeave({ sender: ALICE, deviceId: "A", ts: T0 + 10 * MINUTE }),
      stickyLeave({ sender: CAROL, memberId: "c1", ts: T0 + 20 * MINUTE }),
      legacyLeave({ sender: BOB, deviceId: "B", ts: T0 + 23 * MINUTE }),
    ]);
    const [session, ...rest] = selectSessions(state, { slotId: SLOT });
    expect(rest).toEqual([]);
    expect(session).toMatchObject({
      slotId: SLOT,
      startTs: T0,
      endTs: T0 + 23 * MINUTE,
      durationMs: 23 * MINUTE,
      active: false,
      peakParticipants: 3,
      distinctUsers: 3,
    });
    expect(
      session?.participants.map((p) => [
        p.userId,
        p.joinTs - T0,
        (p.leaveTs ?? 0) - T0,
        p.leaveReason,
      ]),
    ).toEqual([
      [ALICE, 0, 10 * MINUTE, "left"],
      [BOB, 2 * MINUTE, 23 * MINUTE, "left"],
      [CAROL, 3 * MINUTE, 20 * MINUTE, "left"],
    ]);
  });

  it("splits consecutive sessions and keeps a hand-over in one session", () => {
    const state = build([
      ...joined(ALICE, BOB),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      legacyLeave({ sender: ALICE, deviceId: "A", ts: T0 + MINUTE }),
      legacyJoin({ sender: BOB, deviceId: "B", ts: T0 + HOUR }),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 + HOUR + MINUTE }),
      legacyLeave({ sender: BOB, deviceId: "B", ts: T0 + HOUR + MINUTE }),
    ]);
    const sessions = selectSessions(state, { slotId: SLOT, now: T0 + 2 * HOUR });
    expect(sessions.map((s) => [s.startTs - T0, s.endTs, s.active, s.peakParticipants])).toEqual([
      [0, T0 + MINUTE, false, 1],
      [HOUR, undefined, true, 1],
    ]);
  });

  it("does not treat a refresh as a rejoin (legacy created_ts, sticky member id)", () => {
    const state = build([
      ...joined(ALICE, BOB),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      stickyJoin({ sender: BOB, deviceId: "B", memberId: "b", ts: T0 }),
      legacyJoin({
        sender: ALICE,
        deviceId: "A",
        ts: T0 + 50 * MINUTE,
        createdTs: T0,
        expires: 8 * HOUR,
      }),
      stickyJoin({ sender: BOB, deviceId: "B", memberId: "b", ts: T0 + 55 * MINUTE }),
    ]);
    const [session] = selectSessions(state, { slotId: SLOT, now: T0 + 70 * MINUTE });
    expect(session?.participants.map((p) => [p.userId, p.joinTs, p.leaveTs])).toEqual([
      [ALICE, T0, undefined],
      [BOB, T0, undefined],
    ]);
  });

  it("closes by expiry at the expiry time, using now (default: latest origin_server_ts)", () => {
    const state = build([
      ...joined(ALICE),
      stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 }),
    ]);
    expect(selectSessions(state, { slotId: SLOT })[0]?.active).toBe(true);
    const [ended] = selectSessions(state, { slotId: SLOT, now: T0 + 2 * HOUR });
    expect(ended).toMatchObject({ active: false, endTs: T0 + HOUR, durationMs: HOUR });
    expect(ended?.participants[0]?.leaveReason).toBe("expired");
    const later = applyEvents(state, [
      {
        type: "m.room.message",
        event_id: "$msg",
        sender: ALICE,
        origin_server_ts: T0 + 3 * HOUR,
        content: {},
      },
    ]);
    expect(selectSessions(later, { slotId: SLOT })[0]?.endTs).toBe(T0 + HOUR);
  });

  it("reconstructs the start from created_ts for a membership first seen in a state snapshot", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 + HOUR, createdTs: T0, expires: 8 * HOUR }),
    ]);
    expect(selectSessions(state, { slotId: SLOT })[0]?.startTs).toBe(T0);
  });

  it("records an already expired membership from a snapshot as a past participation", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      {
        type: "m.room.message",
        event_id: "$later",
        sender: ALICE,
        origin_server_ts: T0 + 10 * HOUR,
        content: {},
      },
      legacyJoin({ sender: ALICE, deviceId: "OLD", ts: T0 - 6 * HOUR }),
    ]);
    const sessions = selectSessions(state, { slotId: SLOT, now: T0 + 10 * HOUR });
    expect(sessions.map((s) => [s.startTs, s.endTs])).toEqual([
      [T0 - 6 * HOUR, T0 - 2 * HOUR],
      [T0, T0 + 4 * HOUR],
    ]);
  });

  it("ends participations when the user leaves the room and resumes on rejoin", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      roomMember(ALICE, "leave", T0 + 10 * MINUTE),
      roomMember(ALICE, "join", T0 + 30 * MINUTE),
    ]);
    const sessions = selectSessions(state, { slotId: SLOT, now: T0 + 40 * MINUTE });
    expect(
      sessions.map((s) => [s.startTs - T0, s.endTs === undefined ? "open" : s.endTs - T0]),
    ).toEqual([
      [0, 10 * MINUTE],
      [30 * MINUTE, "open"],
    ]);
    expect(sessions[0]?.participants[0]?.leaveReason).toBe("left-room");
  });

  it("ends MSC4143 draft participations when the slot closes", () => {
    const state = build([
      ...joined(BOB),
      slotEvent({ ts: T0, status: "open" }),
      draftMember({ sender: BOB, memberId: "b", ts: T0 + MINUTE }),
      slotEvent({ ts: T0 + 5 * MINUTE, status: "closed" }),
    ]);
    const [session] = selectSessions(state, { slotId: SLOT });
    expect(session).toMatchObject({ startTs: T0 + MINUTE, endTs: T0 + 5 * MINUTE });
    expect(session?.participants[0]?.leaveReason).toBe("slot-closed");
  });

  it("a forged overwrite ends the victim's participation", () => {
    const state = build([
      ...joined(ALICE, MALLORY),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      legacyJoin({
        sender: MALLORY,
        deviceId: "A",
        ts: T0 + MINUTE,
        stateKey: legacyStateKey(ALICE, "A"),
      }),
    ]);
    const [session] = selectSessions(state, { slotId: SLOT });
    expect(session).toMatchObject({ endTs: T0 + MINUTE, peakParticipants: 1, distinctUsers: 1 });
  });

  it("lists sessions of every slot by start when no slot is given", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({
        sender: ALICE,
        deviceId: "A",
        ts: T0 + 5,
        application: "io.example.game",
        callId: "ROOM",
      }),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
    ]);
    expect(selectSessions(state).map((s) => s.slotId)).toEqual([SLOT, "io.example.game#ROOM"]);
    expect(selectSlotIds(state)).toEqual(["io.example.game#ROOM", SLOT]);
  });

  it("reconstructs a participation from prev_content when the join itself was never seen", () => {
    const join = legacyJoin({
      sender: ALICE,
      deviceId: "A",
      ts: T0 + 30 * MINUTE,
      createdTs: T0,
      expires: 8 * HOUR,
    });
    const leave = {
      ...legacyLeave({ sender: ALICE, deviceId: "A", ts: T0 + 45 * MINUTE }),
      unsigned: { prev_content: join.content, replaces_state: join.event_id, prev_sender: ALICE },
    };
    const state = build([...joined(ALICE), leave]);
    const [session] = selectSessions(state, { slotId: SLOT });
    expect(session).toMatchObject({
      startTs: T0,
      endTs: T0 + 45 * MINUTE,
      active: false,
      distinctUsers: 1,
    });
    const forgedPrevious = {
      ...leave,
      event_id: "$other",
      state_key: legacyStateKey(BOB, "A"),
      unsigned: { prev_content: join.content, replaces_state: "$x", prev_sender: MALLORY },
    };
    expect(
      selectSessions(build([...joined(ALICE, BOB), forgedPrevious]), { slotId: SLOT }),
    ).toEqual([]);
  });
});
