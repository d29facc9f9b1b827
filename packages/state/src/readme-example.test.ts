import { expect, it } from "vitest";
import {
  applyEvents,
  createRoomRtcState,
  selectDiagnostics,
  selectMemberships,
  selectSessions,
  selectTransport,
} from "./index.js";

// The example from README.md, kept runnable.
it("runs the README example", () => {
  const alice = "@alice:example.org";
  const events = [
    {
      type: "m.room.member",
      state_key: alice,
      sender: alice,
      event_id: "$join",
      origin_server_ts: 1_764_000_000_000,
      content: { membership: "join" },
    },
    {
      type: "org.matrix.msc3401.call.member",
      state_key: `_${alice}_LAPTOP_m.call`,
      sender: alice,
      event_id: "$call",
      origin_server_ts: 1_764_000_060_000,
      content: {
        application: "m.call",
        call_id: "",
        device_id: "LAPTOP",
        expires: 14_400_000,
        focus_active: { type: "livekit", focus_selection: "oldest_membership" },
        foci_preferred: [
          { type: "livekit", livekit_service_url: "https://rtc.example.org/livekit/jwt" },
        ],
      },
    },
  ];

  let state = createRoomRtcState({ roomId: "!room:example.org" });
  state = applyEvents(state, events);

  const now = 1_764_000_120_000;
  const members = selectMemberships(state, { slotId: "m.call#ROOM", now });
  const transport = selectTransport(state, { slotId: "m.call#ROOM", now });
  const [session] = selectSessions(state, { slotId: "m.call#ROOM", now });

  expect(members.map((member) => `${member.userId} ${member.deviceId} ${member.dialect}`)).toEqual([
    "@alice:example.org LAPTOP legacy",
  ]);
  expect(transport).toEqual({
    type: "livekit",
    livekit_service_url: "https://rtc.example.org/livekit/jwt",
  });
  expect(session).toMatchObject({
    active: true,
    startTs: 1_764_000_060_000,
    durationMs: 60_000,
    distinctUsers: 1,
  });
  expect(selectDiagnostics(state)).toEqual([]);
});
