import { mapJsSdkError } from "./map-js-sdk-error.js";
import { MatrixError } from "./matrix-error.js";
import type {
  MatrixJsSdkClientLike,
  MatrixJsSdkEventLike,
  MatrixJsSdkRoomLike,
} from "./matrix-js-sdk-client-like.js";
import type { ClientEvent, SyncBatch, SyncRoomUpdate, ToDeviceEvent } from "./matrix-port.js";
import { isClientEvent, isRecord } from "./response-shapes.js";

// Event names of matrix-js-sdk's emitters (ClientEvent.*, MatrixEventEvent.Decrypted).
const syncEvent = "sync";
const clientEventEvent = "event";
const toDeviceEvent = "receivedToDeviceMessage";
const decryptedEvent = "Event.decrypted";

/** How many of the newest live-timeline events of each room the initial batch carries. */
const initialTimelineLimit = 50;

interface RoomAccumulator {
  readonly state: ClientEvent[];
  readonly timeline: ClientEvent[];
  readonly sticky: ClientEvent[];
  readonly seen: Set<string>;
}

function membershipOf(room: MatrixJsSdkRoomLike | null): SyncRoomUpdate["membership"] {
  const membership = room?.getMyMembership();
  if (membership === "leave" || membership === "ban") return "leave";
  if (membership === "invite" || membership === "knock") return membership;
  return "join";
}

function needsDecryption(event: MatrixJsSdkEventLike): boolean {
  return event.isEncrypted() && event.getClearContent() === null && !event.isDecryptionFailure();
}

function toClientEvent(
  event: MatrixJsSdkEventLike,
  roomId = event.getRoomId(),
): ClientEvent | undefined {
  if (event.isSending() || event.isDecryptionFailure()) return undefined;
  const wire = event.getEffectiveEvent();
  if (!isClientEvent(wire)) return undefined;
  return wire.room_id === undefined && roomId !== undefined ? { ...wire, room_id: roomId } : wire;
}

/**
 * js-sdk maps events of the sync's sticky section without a room id; find the room whose sticky
 * store holds this very event object (js-sdk drops expired ones, and so do we).
 */
function stickyRoomOf(
  client: MatrixJsSdkClientLike,
  event: MatrixJsSdkEventLike,
): string | undefined {
  for (const room of client.getRooms()) {
    for (const sticky of room._unstable_getStickyEvents?.() ?? []) {
      if (sticky === event) return room.roomId;
    }
  }
  return undefined;
}

/** Options of {@link jsSdkSync}. */
export interface JsSdkSyncOptions {
  readonly signal?: AbortSignal | undefined;
  readonly now: () => number;
}

/**
 * Turns a started matrix-js-sdk client's own sync into {@link SyncBatch}es (no extra requests).
 *
 * @remarks The first batch (`initial: true`) is a snapshot of the client's rooms: current state,
 * sticky events and the newest live-timeline events; it comes at once when the client has synced,
 * else after its first sync. Later batches carry the events js-sdk emitted since (`ClientEvent.Event`):
 * events with a `state_key` go to `state`, the others to `timeline`, both in arrival order; `sticky`
 * stays empty (sticky events arrive in `timeline`, as on a real incremental sync). Encrypted events
 * are held until js-sdk decrypted them, then delivered in a batch of their own. The client's sync
 * errors are retried by js-sdk itself; an `M_UNKNOWN_TOKEN` / 401 ends the iterator with a
 * `MatrixError`; `stopClient()` or the signal ends it cleanly.
 */
export async function* jsSdkSync(
  client: MatrixJsSdkClientLike,
  options: JsSdkSyncOptions,
): AsyncGenerator<SyncBatch, void> {
  const { signal, now } = options;
  if (signal?.aborted) return;
  const queue: SyncBatch[] = [];
  const held = new Set<MatrixJsSdkEventLike>();
  let rooms = new Map<string, RoomAccumulator>();
  let toDevice: ToDeviceEvent[] = [];
  let snapshotTaken = false;
  let lastToken = "";
  let stopped = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let flushScheduled = false;

  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  const accumulatorFor = (roomId: string): RoomAccumulator => {
    let room = rooms.get(roomId);
    if (!room) {
      room = { state: [], timeline: [], sticky: [], seen: new Set() };
      rooms.set(roomId, room);
    }
    return room;
  };
  const add = (event: MatrixJsSdkEventLike) => {
    const clientEvent = toClientEvent(event, event.getRoomId() ?? stickyRoomOf(client, event));
    const roomId = clientEvent?.room_id;
    if (!clientEvent || roomId === undefined) return;
    const room = accumulatorFor(roomId);
    if (room.seen.has(clientEvent.event_id)) return;
    room.seen.add(clientEvent.event_id);
    (clientEvent.state_key === undefined ? room.timeline : room.state).push(clientEvent);
  };
  const flush = (force: boolean) => {
    if (!force && rooms.size === 0 && toDevice.length === 0) return;
    const updates: Record<string, SyncRoomUpdate> = {};
    for (const [roomId, room] of rooms) {
      updates[roomId] = {
        membership: membershipOf(client.getRoom(roomId)),
        state: room.state,
        timeline: room.timeline,
        sticky: room.sticky,
      };
    }
    queue.push({
      nextBatch: lastToken,
      initial: false,
      receivedTs: now(),
      rooms: updates,
      toDevice,
    });
    rooms = new Map();
    toDevice = [];
    notify();
  };
  const consider = (event: MatrixJsSdkEventLike, sticky: boolean) => {
    if (needsDecryption(event)) {
      held.add(event);
      client.decryptEventIfNeeded(event).catch(() => undefined);
      return undefined;
    }
    if (sticky) return toClientEvent(event);
    add(event);
    return undefined;
  };
  const snapshot = () => {
    snapshotTaken = true;
    lastToken = client.store.getSyncToken() ?? lastToken;
    const updates: Record<string, SyncRoomUpdate> = {};
    for (const room of client.getRooms()) {
      const membership = membershipOf(room);
      if (membership === "leave") continue;
      const state: ClientEvent[] = [];
      const sticky: ClientEvent[] = [];
      if (membership === "join") {
        for (const byKey of room.currentState.events.values()) {
          for (const event of byKey.values()) {
            const clientEvent = toClientEvent(event);
            if (clientEvent) state.push({ ...clientEvent, room_id: room.roomId });
          }
        }
        for (const event of room._unstable_getStickyEvents?.() ?? []) {
          const clientEvent = consider(event, true);
          if (clientEvent) sticky.push({ ...clientEvent, room_id: room.roomId });
        }
      }
      const timeline =
        membership === "join"
          ? room
              .getLiveTimeline()
              .getEvents()
              .slice(-initialTimelineLimit)
              .filter((event) => !needsDecryption(event))
              .map((event) => toClientEvent(event))
              .filter((event): event is ClientEvent => event !== undefined)
              .map((event) => ({ ...event, room_id: room.roomId }))
          : [];
      updates[room.roomId] = { membership, state, timeline, sticky };
    }
    queue.push({
      nextBatch: lastToken,
      initial: true,
      receivedTs: now(),
      rooms: updates,
      toDevice: [],
    });
    rooms = new Map();
    toDevice = [];
    notify();
  };

  const onSync = (state: string, _previous: unknown, data: unknown) => {
    if (state === "PREPARED" || state === "SYNCING") {
      const token =
        isRecord(data) && typeof data.nextSyncToken === "string" ? data.nextSyncToken : undefined;
      const changed = token !== undefined && token !== lastToken;
      if (!snapshotTaken) {
        snapshot();
        if (token !== undefined) lastToken = token;
        return;
      }
      if (token !== undefined) lastToken = token;
      flush(changed);
    } else if (state === "STOPPED") {
      stopped = true;
      notify();
    } else if (state === "ERROR" && isRecord(data)) {
      const error = mapJsSdkError(
        data.error,
        { method: "GET", path: "/_matrix/client/v3/sync" },
        now,
      );
      if (
        MatrixError.isInstance(error) &&
        (error.status === 401 || error.errcode === "M_UNKNOWN_TOKEN")
      ) {
        failure = error;
        notify();
      }
    }
  };
  const onEvent = (event: MatrixJsSdkEventLike) => {
    if (snapshotTaken) consider(event, false);
  };
  const onDecrypted = (event: MatrixJsSdkEventLike) => {
    if (!held.delete(event)) return;
    add(event);
    if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(() => {
        flushScheduled = false;
        flush(false);
      });
    }
  };
  const onToDevice = (payload: unknown) => {
    if (!snapshotTaken || !isRecord(payload) || !isRecord(payload.message)) return;
    const { type, sender, content } = payload.message;
    if (typeof type === "string" && typeof sender === "string" && isRecord(content)) {
      toDevice.push({ type, sender, content });
    }
  };

  client.on(syncEvent, onSync as (...args: never[]) => void);
  client.on(clientEventEvent, onEvent as (...args: never[]) => void);
  client.on(decryptedEvent, onDecrypted as (...args: never[]) => void);
  client.on(toDeviceEvent, onToDevice as (...args: never[]) => void);
  const onAbort = () => notify();
  signal?.addEventListener("abort", onAbort);
  try {
    if (client.isInitialSyncComplete()) snapshot();
    while (!signal?.aborted) {
      const batch = queue.shift();
      if (batch) {
        yield batch;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (stopped) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    client.off(syncEvent, onSync as (...args: never[]) => void);
    client.off(clientEventEvent, onEvent as (...args: never[]) => void);
    client.off(decryptedEvent, onDecrypted as (...args: never[]) => void);
    client.off(toDeviceEvent, onToDevice as (...args: never[]) => void);
  }
}
