import fc from "fast-check";
import { describe, expect, it } from "vitest";
import recordedSync from "./__fixtures__/sync-join-sticky-section.json";
import { parseSyncResponse } from "./parse-sync-response.js";

const context = { initial: false, receivedTs: 5 };

describe("parseSyncResponse", () => {
  it("needs next_batch", () => {
    expect(parseSyncResponse({}, context)).toBeUndefined();
    expect(parseSyncResponse(null, context)).toBeUndefined();
    expect(parseSyncResponse({ next_batch: 1 }, context)).toBeUndefined();
  });

  it("an empty response is an empty batch", () => {
    expect(parseSyncResponse({ next_batch: "s1" }, context)).toEqual({
      nextBatch: "s1",
      initial: false,
      receivedTs: 5,
      rooms: {},
      toDevice: [],
    });
  });

  it("keeps the server's room_id and drops malformed events and rooms", () => {
    const event = {
      type: "m.x",
      event_id: "$1",
      sender: "@a:b",
      origin_server_ts: 1,
      content: {},
      room_id: "!other:b",
    };
    const batch = parseSyncResponse(
      {
        next_batch: "s2",
        rooms: {
          join: {
            "!r:b": {
              timeline: { events: [event, { ...event, event_id: 5 }, "junk"] },
              state: { events: "nope" },
              sticky: { events: [{ ...event, content: [] }] },
            },
            "!bad:b": 7,
          },
          leave: [],
        },
        to_device: { events: [{ type: "x", sender: "@a:b", content: null }] },
      },
      context,
    );
    expect(batch?.rooms).toEqual({
      "!r:b": { membership: "join", state: [], timeline: [event], sticky: [] },
    });
    expect(batch?.toDevice).toEqual([]);
  });

  it("never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (rooms) => {
        const batch = parseSyncResponse({ next_batch: "s", rooms, to_device: rooms }, context);
        return batch?.nextBatch === "s";
      }),
    );
  });
});

describe("parseSyncResponse on a recorded Synapse reply", () => {
  it("reads the unstable msc4354_sticky section of a newly joined user's initial sync", () => {
    const [roomId] = Object.keys(recordedSync.rooms.join);
    const batch = parseSyncResponse(recordedSync, { initial: true, receivedTs: 1 });
    const room = batch?.rooms[roomId ?? ""];
    expect(room?.membership).toBe("join");
    expect(room?.limited).toBe(true);
    expect(room?.timeline).toHaveLength(1);
    expect(room?.sticky).toHaveLength(1);
    expect(room?.sticky[0]).toMatchObject({
      type: "org.matrix.msc4143.rtc.member",
      content: { msc4354_sticky_key: "k" },
      msc4354_sticky: { duration_ms: 600000 },
      room_id: roomId,
    });
    expect(room?.sticky[0]?.unsigned?.msc4354_sticky_duration_ttl_ms).toEqual(expect.any(Number));
    expect(room?.state.some((event) => event.type === "m.room.create")).toBe(true);
  });
});
