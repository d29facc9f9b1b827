import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  HOUR,
  LIVEKIT_A,
  LIVEKIT_B,
  legacyJoin,
  MINUTE,
  roomMember,
  stickyJoin,
  T0,
} from "./__fixtures__/events.js";
import { applyEvents } from "./apply-event.js";
import { createRoomRtcState, type RoomRtcState } from "./room-rtc-state.js";
import { selectMemberTransports, selectTransport } from "./select-transport.js";

const options = { slotId: "m.call#ROOM", now: T0 + MINUTE };
const joined = (...users: string[]) => users.map((user) => roomMember(user, "join", T0 - HOUR));
const build = (events: readonly unknown[]): RoomRtcState =>
  applyEvents(createRoomRtcState({ roomId: "!r" }), events);

describe("selectTransport", () => {
  it("oldest_membership: the oldest member's first preferred transport", () => {
    const state = build([
      ...joined(ALICE, BOB),
      legacyJoin({ sender: BOB, deviceId: "B", ts: T0 + 10, foci: [LIVEKIT_B] }),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0, foci: [LIVEKIT_A, LIVEKIT_B] }),
    ]);
    expect(selectTransport(state, options)).toEqual(LIVEKIT_A);
    expect(selectMemberTransports(state, options).map((entry) => entry.transport)).toEqual([
      LIVEKIT_A,
      LIVEKIT_A,
    ]);
  });

  it("multi_sfu: nothing shared; each member publishes on its own", () => {
    const state = build([
      ...joined(ALICE, BOB),
      legacyJoin({
        sender: ALICE,
        deviceId: "A",
        ts: T0,
        foci: [LIVEKIT_A],
        focusSelection: "multi_sfu",
      }),
      legacyJoin({
        sender: BOB,
        deviceId: "B",
        ts: T0 + 10,
        foci: [LIVEKIT_B],
        focusSelection: "multi_sfu",
      }),
    ]);
    expect(selectTransport(state, options)).toBeUndefined();
    expect(selectMemberTransports(state, options).map((entry) => entry.transport)).toEqual([
      LIVEKIT_A,
      LIVEKIT_B,
    ]);
  });

  it("a sticky member makes the slot per-member (js-sdk: sticky uses its own transport)", () => {
    const state = build([
      ...joined(ALICE, BOB),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0, foci: [LIVEKIT_A] }),
      stickyJoin({ sender: BOB, deviceId: "B", memberId: "b", ts: T0 + 10 }),
    ]);
    expect(selectTransport(state, options)).toBeUndefined();
    const [alice, bob] = selectMemberTransports(state, options);
    expect(alice?.transport).toEqual(LIVEKIT_A);
    expect(bob?.transport).toMatchObject({
      type: "livekit",
      livekit_service_url: LIVEKIT_B.livekit_service_url,
    });
  });

  it("an unknown selection gives no transport", () => {
    const state = build([
      ...joined(ALICE),
      legacyJoin({ sender: ALICE, deviceId: "A", ts: T0, focusSelection: "random" }),
    ]);
    expect(selectTransport(state, options)).toBeUndefined();
    expect(selectMemberTransports(state, options)[0]?.transport).toBeUndefined();
  });

  it("no members, no transport", () => {
    expect(selectTransport(build([]), options)).toBeUndefined();
  });
});
