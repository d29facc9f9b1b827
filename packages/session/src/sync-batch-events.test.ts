import type { ClientEvent, SyncBatch } from "@mxrtc/matrix";
import { applyEvents, createRoomRtcState, selectMemberships } from "@mxrtc/state";
import { describe, expect, it } from "vitest";
import { legacyMember, ROOM, SFU_A } from "../test/room-fixtures.js";
import { syncBatchEvents } from "./sync-batch-events.js";

const member = (user: string, membership: string, sender: string, id: string): ClientEvent => ({
  type: "m.room.member",
  state_key: user,
  sender,
  event_id: id,
  origin_server_ts: 1000 + Number(id.slice(2)),
  content: { membership },
});

const batch = (initial: boolean, state: ClientEvent[], timeline: ClientEvent[]): SyncBatch => ({
  nextBatch: "s1",
  initial,
  receivedTs: 5000,
  rooms: { [ROOM]: { membership: "join", state, timeline, sticky: [] } },
  toDevice: [],
});

const BOB = "@bob:example.org";

function joinedMembers(events: readonly ClientEvent[]): string[] {
  const state = applyEvents(createRoomRtcState({ roomId: ROOM }), [
    ...events,
    legacyMember(BOB, "BOBDEV", [SFU_A]),
  ]);
  return selectMemberships(state, { slotId: "m.call#ROOM", now: Date.now() }).map(
    (membership) => membership.userId,
  );
}

describe("syncBatchEvents", () => {
  const invite = member(BOB, "invite", "@alice:example.org", "$e1");
  const join = member(BOB, "join", BOB, "$e2");

  it("raw initial /sync (state before the timeline): the timeline's newer version wins", () => {
    const events = syncBatchEvents(batch(true, [invite], [join]), ROOM);
    expect(events.map((event) => event.event_id)).toEqual(["$e2"]);
    expect(joinedMembers(events)).toEqual([BOB]);
  });

  it("js-sdk snapshot (current state, timeline with older versions): still joined", () => {
    const events = syncBatchEvents(batch(true, [join], [invite, join]), ROOM);
    expect(events.map((event) => event.event_id)).toEqual(["$e1", "$e2"]);
    expect(joinedMembers(events)).toEqual([BOB]);
  });

  it("incremental batches pass state, timeline and sticky through in order", () => {
    expect(
      syncBatchEvents(batch(false, [invite], [join]), ROOM).map((event) => event.event_id),
    ).toEqual(["$e1", "$e2"]);
    expect(syncBatchEvents(batch(false, [invite], []), "!other:example.org")).toEqual([]);
  });
});
