import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { jsSdkSync } from "./js-sdk-sync.js";
import type {
  MatrixJsSdkClientLike,
  MatrixJsSdkEventLike,
  MatrixJsSdkRoomLike,
} from "./matrix-js-sdk-client-like.js";
import type { SyncBatch } from "./matrix-port.js";

const roomId = "!r:localhost";

/** A js-sdk-shaped event; `decrypt()` turns an encrypted one into clear text. */
function fakeEvent(wire: Record<string, unknown>, encrypted = false) {
  let clear: Record<string, unknown> | null = encrypted ? null : wire;
  const event = {
    getEffectiveEvent: () =>
      clear ?? { ...wire, type: "m.room.encrypted", content: { algorithm: "m.megolm.v1" } },
    getRoomId: () => roomId,
    isEncrypted: () => encrypted,
    getClearContent: () => (clear ? (clear.content as object) : null),
    isDecryptionFailure: () => false,
    isSending: () => false,
    decrypt: () => {
      clear = wire;
    },
  };
  return event;
}

function wireEvent(id: string, extra: Record<string, unknown> = {}) {
  return {
    type: "m.x",
    event_id: id,
    sender: "@a:localhost",
    origin_server_ts: 1,
    content: { id },
    ...extra,
  };
}

function fakeClient(rooms: MatrixJsSdkRoomLike[] = []) {
  const emitter = new EventEmitter();
  const decryptRequests: MatrixJsSdkEventLike[] = [];
  const client: MatrixJsSdkClientLike = {
    baseUrl: "http://127.0.0.1:1",
    getUserId: () => "@a:localhost",
    getDeviceId: () => "DEV",
    http: {
      authedRequest: () => Promise.reject(new Error("unused")),
      request: () => Promise.reject(new Error("unused")),
    },
    sendEvent: () => Promise.reject(new Error("unused")),
    _unstable_sendStickyEvent: () => Promise.reject(new Error("unused")),
    _unstable_sendDelayedEvent: () => Promise.reject(new Error("unused")),
    _unstable_sendStickyDelayedEvent: () => Promise.reject(new Error("unused")),
    getOpenIdToken: () => Promise.reject(new Error("unused")),
    sendToDevice: () => Promise.reject(new Error("unused")),
    getRooms: () => rooms,
    getRoom: (id) => rooms.find((room) => room.roomId === id) ?? null,
    isInitialSyncComplete: () => false,
    store: { getSyncToken: () => "s0" },
    decryptEventIfNeeded: (event) => {
      decryptRequests.push(event);
      return Promise.resolve();
    },
    on: (name, listener) => emitter.on(name, listener as (...args: unknown[]) => void),
    off: (name, listener) => emitter.off(name, listener as (...args: unknown[]) => void),
  };
  return { client, emitter, decryptRequests };
}

const joinedRoom: MatrixJsSdkRoomLike = {
  roomId,
  getMyMembership: () => "join",
  currentState: {
    events: new Map([
      [
        "m.room.create",
        new Map([["", fakeEvent(wireEvent("$create", { type: "m.room.create", state_key: "" }))]]),
      ],
    ]),
  },
  getLiveTimeline: () => ({ getEvents: () => [] }),
  _unstable_getStickyEvents: () => [fakeEvent(wireEvent("$sticky"))],
};

describe("jsSdkSync with a scripted js-sdk emitter", () => {
  it("snapshots on PREPARED, then batches events per sync; state keys go to state", async () => {
    const { client, emitter } = fakeClient([joinedRoom]);
    const iterator = jsSdkSync(client, { now: () => 7 })[Symbol.asyncIterator]();
    const first = iterator.next();
    await Promise.resolve();
    emitter.emit("event", fakeEvent(wireEvent("$before"))); // before the snapshot: already in the model
    emitter.emit("sync", "PREPARED", null, { nextSyncToken: "s1" });
    const initial = (await first).value as SyncBatch;
    expect(initial.initial).toBe(true);
    expect(initial.rooms[roomId]?.state.map((event) => event.event_id)).toEqual(["$create"]);
    expect(initial.rooms[roomId]?.sticky.map((event) => event.event_id)).toEqual(["$sticky"]);

    emitter.emit("sync", "SYNCING", "PREPARED", { nextSyncToken: "s1" }); // nothing new: no batch
    emitter.emit("event", fakeEvent(wireEvent("$state", { state_key: "k" })));
    emitter.emit("event", fakeEvent(wireEvent("$message")));
    emitter.emit("event", fakeEvent(wireEvent("$message"))); // js-sdk emits some events twice
    emitter.emit("receivedToDeviceMessage", {
      message: { type: "m.ping", sender: "@b:localhost", content: { n: 1 } },
    });
    emitter.emit("sync", "SYNCING", "SYNCING", { nextSyncToken: "s2" });
    const delta = (await iterator.next()).value as SyncBatch;
    expect(delta.initial).toBe(false);
    expect(delta.nextBatch).toBe("s2");
    expect(delta.rooms[roomId]?.state.map((event) => event.event_id)).toEqual(["$state"]);
    expect(delta.rooms[roomId]?.timeline.map((event) => event.event_id)).toEqual(["$message"]);
    expect(delta.toDevice).toEqual([{ type: "m.ping", sender: "@b:localhost", content: { n: 1 } }]);
    await iterator.return(undefined);
    expect(emitter.listenerCount("event")).toBe(0);
  });

  it("holds an encrypted event until js-sdk decrypted it, then delivers it at once", async () => {
    const { client, emitter, decryptRequests } = fakeClient([joinedRoom]);
    const iterator = jsSdkSync(client, { now: () => 7 })[Symbol.asyncIterator]();
    const first = iterator.next();
    await Promise.resolve();
    emitter.emit("sync", "PREPARED", null, { nextSyncToken: "s1" });
    await first;
    const encrypted = fakeEvent(
      wireEvent("$secret", { type: "org.matrix.msc4143.rtc.member" }),
      true,
    );
    emitter.emit("event", encrypted);
    emitter.emit("sync", "SYNCING", "SYNCING", { nextSyncToken: "s2" });
    const withoutSecret = (await iterator.next()).value as SyncBatch;
    expect(withoutSecret.rooms[roomId]).toBeUndefined();
    expect(decryptRequests).toEqual([encrypted]);
    encrypted.decrypt();
    emitter.emit("Event.decrypted", encrypted);
    const decrypted = (await iterator.next()).value as SyncBatch;
    expect(decrypted.nextBatch).toBe("s2");
    expect(decrypted.rooms[roomId]?.timeline[0]).toMatchObject({
      event_id: "$secret",
      type: "org.matrix.msc4143.rtc.member",
      content: { id: "$secret" },
    });
    await iterator.return(undefined);
  });

  it("a sync ERROR other than a bad token is left to js-sdk's own retries", async () => {
    const { client, emitter } = fakeClient();
    const iterator = jsSdkSync(client, { now: () => 7 })[Symbol.asyncIterator]();
    const first = iterator.next();
    await Promise.resolve();
    emitter.emit("sync", "PREPARED", null, { nextSyncToken: "s1" });
    await first;
    const next = iterator.next();
    emitter.emit("sync", "ERROR", "SYNCING", {
      error: Object.assign(new Error("down"), { name: "ConnectionError" }),
    });
    emitter.emit("sync", "ERROR", "ERROR", {
      error: Object.assign(new Error("x"), { httpStatus: 502, data: {} }),
    });
    emitter.emit("event", fakeEvent(wireEvent("$after")));
    emitter.emit("sync", "SYNCING", "ERROR", { nextSyncToken: "s2" });
    expect(((await next).value as SyncBatch).rooms[roomId]?.timeline[0]?.event_id).toBe("$after");
    await iterator.return(undefined);
  });
});
