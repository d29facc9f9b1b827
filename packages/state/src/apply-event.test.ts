import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  HOUR,
  legacyJoin,
  MINUTE,
  roomMember,
  stickyJoin,
  T0,
} from "./__fixtures__/events.js";
import { applyEvent, applyEvents } from "./apply-event.js";
import { createRoomRtcState, type RoomRtcState } from "./room-rtc-state.js";
import { RtcStateError } from "./rtc-state-error.js";
import { selectDiagnostics, selectDroppedDiagnosticCount } from "./select-diagnostics.js";
import { selectMemberships } from "./select-memberships.js";

const SLOT = "m.call#ROOM";
const empty = () => createRoomRtcState({ roomId: "!r" });
const members = (state: RoomRtcState, now = T0 + MINUTE) =>
  selectMemberships(state, { slotId: SLOT, now });

describe("applyEvent: bad input", () => {
  const valid = legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 });
  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error("boom");
      },
      has() {
        throw new Error("boom");
      },
      getOwnPropertyDescriptor() {
        throw new Error("boom");
      },
    },
  );
  const cases: [string, unknown, string][] = [
    ["null", null, "malformed-event"],
    ["a number", 42, "malformed-event"],
    ["an array", [valid], "malformed-event"],
    ["no type", { ...valid, type: undefined }, "malformed-event"],
    ["a non-string type", { ...valid, type: 7 }, "malformed-event"],
    ["no event id", { ...valid, event_id: undefined }, "missing-event-id"],
    ["no sender", { ...valid, sender: "" }, "missing-sender"],
    [
      "no origin_server_ts",
      { ...valid, origin_server_ts: "yesterday" },
      "missing-origin-server-ts",
    ],
    ["no state key", { ...valid, state_key: 3 }, "missing-state-key"],
    ["content of the wrong type", { ...valid, content: "join" }, "invalid-content"],
    [
      "device_id of the wrong type",
      { ...valid, content: { ...valid.content, device_id: 5 } },
      "invalid-content",
    ],
    [
      "the old MSC3401 memberships array",
      { ...valid, content: { memberships: [{ "m.call_id": "x" }] } },
      "invalid-content",
    ],
    ["a throwing proxy", "PROXY", "malformed-event"],
    [
      "a sticky event with a wrong-typed member",
      {
        ...stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0 }),
        content: {
          msc4354_sticky_key: "m",
          member: 5,
          slot_id: "m.call#ROOM",
          application: { type: "m.call" },
        },
      },
      "invalid-content",
    ],
    [
      "an m.room.member without membership",
      { ...roomMember(BOB, "join", T0), content: { membership: 1 } },
      "invalid-room-member",
    ],
  ];

  it.each(cases)("never throws on %s and records %s", (_label, event, code) => {
    const input = event === "PROXY" ? hostile : event;
    const state = applyEvents(empty(), [roomMember(ALICE, "join", T0 - HOUR), input]);
    expect(members(state)).toEqual([]);
    expect(selectDiagnostics(state).map((diagnostic) => diagnostic.code)).toContain(code);
  });

  it("survives huge arrays", () => {
    const foci = Array.from({ length: 200_000 }, () => ({
      type: "livekit",
      livekit_service_url: "https://x",
    }));
    const event = legacyJoin({ sender: ALICE, deviceId: "A", ts: T0, foci });
    const state = applyEvents(empty(), [roomMember(ALICE, "join", T0 - HOUR), event]);
    expect(members(state).length + selectDiagnostics(state).length).toBeGreaterThan(0);
    for (const member of members(state)) expect(member.transports.length).toBeLessThanOrEqual(1000);
  });

  it("ignores unrelated events without a diagnostic but learns their time", () => {
    const state = applyEvent(empty(), {
      type: "m.room.message",
      event_id: "$m",
      sender: ALICE,
      origin_server_ts: T0,
      content: {},
    });
    expect(selectDiagnostics(state)).toEqual([]);
    expect(state.latestTs).toBe(T0);
  });

  it("reports a state gap (missed events or a state reset) but applies the event", () => {
    const first = roomMember(ALICE, "join", T0);
    const reset = {
      ...roomMember(ALICE, "leave", T0 + 1),
      unsigned: { replaces_state: "$something-else" },
    };
    const state = applyEvents(empty(), [
      first,
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      reset,
    ]);
    expect(members(state)).toEqual([]);
    expect(selectDiagnostics(state)).toEqual([
      expect.objectContaining({ code: "state-gap", applied: true }),
    ]);
  });

  it("records non-iterable input as one diagnostic", () => {
    const state = applyEvents(empty(), 5 as unknown as Iterable<unknown>);
    expect(selectDiagnostics(state).map((diagnostic) => diagnostic.code)).toEqual([
      "malformed-event",
    ]);
  });

  it("bounds diagnostics and counts the dropped ones", () => {
    let state = createRoomRtcState({ roomId: "!r", maxDiagnostics: 5 });
    for (let index = 0; index < 23; index++) state = applyEvent(state, { index });
    expect(selectDiagnostics(state)).toHaveLength(5);
    expect(selectDroppedDiagnosticCount(state)).toBe(18);
  });

  it("throws a typed error for programming errors only", () => {
    expect(() => applyEvent({ roomId: "!r", latestTs: 0 }, {})).toThrowError(
      expect.objectContaining({ code: "invalid-state" }),
    );
    try {
      members({ roomId: "x", latestTs: undefined });
    } catch (error) {
      expect(RtcStateError.isInstance(error)).toBe(true);
    }
    expect(() => createRoomRtcState({ roomId: "!r", maxDiagnostics: -1 })).toThrow();
    expect(() => applyEvent(empty(), {}, { receivedTs: Number.NaN })).toThrow();
  });
});

describe("applyEvent: immutability", () => {
  it("never mutates the caller's events", () => {
    const events = [
      roomMember(ALICE, "join", T0 - HOUR),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }),
      stickyJoin({ sender: ALICE, deviceId: "B", memberId: "m", ts: T0, ttlMs: 1000 }),
    ];
    const copy = structuredClone(events);
    const state = applyEvents(empty(), events, { receivedTs: T0 });
    expect(events).toEqual(copy);
    expect(Object.isFrozen(members(state)[0])).toBe(true);
  });

  it("keeps old states valid and unchanged", () => {
    const s0 = applyEvent(empty(), roomMember(ALICE, "join", T0 - HOUR));
    const s1 = applyEvent(s0, legacyJoin({ sender: ALICE, deviceId: "A", ts: T0 }));
    const before = members(s1);
    const s2 = applyEvent(s1, roomMember(ALICE, "leave", T0 + 1));
    expect(members(s2)).toEqual([]);
    expect(members(s1)).toEqual(before);
    expect(members(s1)).toHaveLength(1);
    expect(members(s0)).toEqual([]);
  });
});
