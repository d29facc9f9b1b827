import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  CRYPTO_ID,
  draftMember,
  HOUR,
  legacyJoin,
  MALLORY,
  MINUTE,
  PSEUDONYMOUS,
  roomMember,
  slotEvent,
  stickyJoin,
  stickyLeave,
  T0,
} from "./__fixtures__/events.js";
import { applyEvent, applyEvents } from "./apply-event.js";
import { createRoomRtcState, type RoomRtcState } from "./room-rtc-state.js";
import { selectDiagnostics } from "./select-diagnostics.js";
import { selectInactiveMemberships, selectMemberships } from "./select-memberships.js";

const SLOT = "m.call#ROOM";
const joined = (...users: string[]) => users.map((user) => roomMember(user, "join", T0 - HOUR));
const build = (events: readonly unknown[], receivedTs?: number): RoomRtcState =>
  applyEvents(
    createRoomRtcState({ roomId: "!r" }),
    events,
    receivedTs === undefined ? {} : { receivedTs },
  );
const members = (state: RoomRtcState, now = T0 + MINUTE) =>
  selectMemberships(state, { slotId: SLOT, now });
const codes = (state: RoomRtcState) =>
  selectDiagnostics(state).map((diagnostic) => diagnostic.code);

describe("js-sdk sticky org.matrix.msc4143.rtc.member", () => {
  it.each(["42", "43"] as const)("reads the js-sdk %s shape without any m.rtc.slot", (shape) => {
    const state = build([
      ...joined(ALICE),
      stickyJoin({ sender: ALICE, deviceId: "A", memberId: "mem-1", ts: T0, shape }),
    ]);
    expect(members(state)).toEqual([
      expect.objectContaining({
        userId: ALICE,
        deviceId: "A",
        memberId: "mem-1",
        dialect: "sticky",
        createdTs: T0,
        expiresTs: T0 + HOUR,
      }),
    ]);
    expect(members(state)[0]?.transports[0]?.type).toBe("livekit");
  });

  it("rejects member.user_id that is not the sender", () => {
    const forged = stickyJoin({
      sender: MALLORY,
      userId: ALICE,
      deviceId: "A",
      memberId: "mem-x",
      ts: T0,
    });
    const state = build([...joined(ALICE, MALLORY), forged]);
    expect(members(state)).toEqual([]);
    expect(selectDiagnostics(state)).toEqual([
      expect.objectContaining({
        code: "forged-membership",
        path: "content.member.user_id",
        sender: MALLORY,
        eventId: forged.event_id,
      }),
    ]);
  });

  it.each([PSEUDONYMOUS, CRYPTO_ID])(
    "compares member.user_id with an opaque sender %s",
    (sender) => {
      const own = stickyJoin({ sender, deviceId: "D", memberId: "m1", ts: T0 });
      const forged = stickyJoin({
        sender: MALLORY,
        userId: sender,
        deviceId: "D",
        memberId: "m2",
        ts: T0,
      });
      const state = build([...joined(sender, MALLORY), own, forged]);
      expect(members(state).map((member) => member.userId)).toEqual([sender]);
      expect(codes(state)).toEqual(["forged-membership"]);
    },
  );

  it("loses stickiness after origin_server_ts + duration (capped at 1 h)", () => {
    const state = build([
      ...joined(ALICE),
      stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0, durationMs: 5 * HOUR }),
    ]);
    expect(members(state, T0 + HOUR - 1)).toHaveLength(1);
    expect(members(state, T0 + HOUR)).toHaveLength(0);
  });

  it("uses unsigned TTL from receivedTs when given", () => {
    const event = stickyJoin({
      sender: ALICE,
      deviceId: "A",
      memberId: "m",
      ts: T0,
      ttlMs: 10 * MINUTE,
    });
    const state = build([...joined(ALICE), event], T0 + 50 * MINUTE);
    expect(members(state, T0 + 59 * MINUTE)[0]?.expiresTs).toBe(T0 + 60 * MINUTE);
    const withoutReceived = build([...joined(ALICE), event]);
    expect(members(withoutReceived, T0 + 59 * MINUTE)[0]?.expiresTs).toBe(T0 + HOUR);
  });

  it("keeps createdTs of the first event of a member id across refreshes", () => {
    const state = build([
      ...joined(ALICE),
      stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 }),
      stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 + 55 * MINUTE }),
    ]);
    const [member] = members(state, T0 + 90 * MINUTE);
    expect(member).toMatchObject({ createdTs: T0, expiresTs: T0 + 115 * MINUTE });
  });

  it("a leave with only the sticky key ends the membership", () => {
    const state = build([
      ...joined(ALICE),
      stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 }),
      stickyLeave({ sender: ALICE, memberId: "m", ts: T0 + 10 }),
    ]);
    expect(members(state)).toEqual([]);
  });

  it("applies MSC4354's conflict rule: highest ts + duration, then event id", () => {
    const join = stickyJoin({
      sender: ALICE,
      deviceId: "A",
      memberId: "m",
      ts: T0 + 10,
      eventId: "$b",
    });
    const staleLeave = stickyLeave({ sender: ALICE, memberId: "m", ts: T0, eventId: "$z" });
    const late = build([...joined(ALICE), join, staleLeave]);
    expect(members(late)).toHaveLength(1);
    expect(codes(late)).toEqual(["superseded-sticky-event"]);
    const tieLeave = stickyLeave({ sender: ALICE, memberId: "m", ts: T0 + 10, eventId: "$a" });
    expect(members(build([...joined(ALICE), join, tieLeave]))).toHaveLength(1);
    const tieWinner = stickyLeave({ sender: ALICE, memberId: "m", ts: T0 + 10, eventId: "$c" });
    expect(members(build([...joined(ALICE), join, tieWinner]))).toEqual([]);
  });

  it("keys by sender so another user cannot overwrite a member id", () => {
    const state = build([
      ...joined(ALICE, MALLORY),
      stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 }),
      stickyLeave({ sender: MALLORY, memberId: "m", ts: T0 + 10 }),
    ]);
    expect(members(state)).toHaveLength(1);
  });

  it("rejects a non-sticky membership event and a missing sticky key", () => {
    const notSticky = stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 });
    delete notSticky.msc4354_sticky;
    const noKey = stickyJoin({ sender: ALICE, deviceId: "A", memberId: "n", ts: T0 });
    delete (noKey.content as Record<string, unknown>).msc4354_sticky_key;
    const state = build([...joined(ALICE), notSticky, noKey]);
    expect(members(state)).toEqual([]);
    expect(codes(state)).toEqual([
      "not-sticky",
      expect.stringMatching(/invalid-content|missing-sticky-key/),
    ]);
  });

  it("rejects an application that does not match the slot", () => {
    const state = build([
      ...joined(ALICE),
      stickyJoin({
        sender: ALICE,
        deviceId: "A",
        memberId: "m",
        ts: T0,
        applicationType: "io.game",
      }),
    ]);
    expect(members(state)).toEqual([]);
    expect(codes(state)).toHaveLength(1);
  });
});

describe("MSC4143 draft m.rtc.member", () => {
  it("counts only while an m.rtc.slot for the slot is open", () => {
    const member = draftMember({ sender: BOB, memberId: "bob-1", ts: T0 });
    const closed = build([...joined(BOB), member]);
    expect(members(closed)).toEqual([]);
    const open = applyEvent(closed, slotEvent({ ts: T0 + 1, status: "open" }));
    expect(members(open)).toEqual([
      expect.objectContaining({ userId: BOB, dialect: "msc4143", deviceId: "" }),
    ]);
    const closedAgain = applyEvent(open, slotEvent({ ts: T0 + 2, status: "closed" }));
    expect(members(closedAgain)).toEqual([]);
  });

  it("accepts the unstable slot and member event types", () => {
    const state = build([
      ...joined(BOB),
      slotEvent({ ts: T0, status: "open", type: "org.matrix.msc4143.rtc.slot" }),
      draftMember({
        sender: BOB,
        memberId: "bob-1",
        ts: T0,
        type: "org.matrix.msc4143.rtc.member",
      }),
    ]);
    expect(members(state)).toHaveLength(1);
  });

  it("treats an invalid slot as closed and says so", () => {
    const broken = { ...slotEvent({ ts: T0, status: "open" }), content: { status: "open" } };
    const state = build([
      ...joined(BOB),
      broken,
      draftMember({ sender: BOB, memberId: "b", ts: T0 }),
    ]);
    expect(members(state)).toEqual([]);
    expect(codes(state)).toEqual(["invalid-slot"]);
  });

  it("ends on member.membership: leave", () => {
    const state = build([
      ...joined(BOB),
      slotEvent({ ts: T0, status: "open" }),
      draftMember({ sender: BOB, memberId: "b", ts: T0 }),
      draftMember({ sender: BOB, memberId: "b", ts: T0 + 5, membership: "leave" }),
    ]);
    expect(members(state)).toEqual([]);
  });

  it("gates js-sdk sticky members only on an existing slot that is not open, as matrix-js-sdk 43 does", () => {
    const sticky = stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 });
    const legacy = legacyJoin({ sender: BOB, deviceId: "B", ts: T0 });
    const noSlot = build([...joined(ALICE, BOB), sticky, legacy]);
    expect(
      members(noSlot)
        .map((member) => member.dialect)
        .sort(),
    ).toEqual(["legacy", "sticky"]);
    const closed = applyEvent(noSlot, slotEvent({ ts: T0 + 1, status: "closed" }));
    expect(members(closed).map((member) => member.dialect)).toEqual(["legacy"]);
    expect(selectInactiveMemberships(closed, { slotId: SLOT, now: T0 + MINUTE })).toEqual([
      expect.objectContaining({ reason: "slot-closed" }),
    ]);
    const reopened = applyEvent(closed, slotEvent({ ts: T0 + 2, status: "open" }));
    expect(members(reopened)).toHaveLength(2);
  });
});
