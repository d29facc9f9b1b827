import { CliError } from "./cli-io.js";

/** The events of one room, in the order to apply them. */
export interface RoomDump {
  readonly roomId: string | undefined;
  readonly events: readonly unknown[];
  /** Which input shape was recognised. */
  readonly shape: "event-array" | "sync-room" | "sync-response" | "messages-chunk" | "live";
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function eventsOf(section: unknown): readonly unknown[] {
  if (!isObject(section)) return [];
  const events = section.events;
  return Array.isArray(events) ? events : [];
}

function roomIdOf(events: readonly unknown[]): string | undefined {
  for (const event of events) {
    if (isObject(event) && typeof event.room_id === "string") return event.room_id;
  }
  return undefined;
}

function isSyncRoom(value: JsonObject): boolean {
  return ["state", "timeline", "sticky", "msc4354_sticky", "state_after"].some((key) =>
    isObject(value[key]),
  );
}

/** Events of a /sync room section: state (or state_after), then the timeline, then sticky events. */
function syncRoomEvents(room: JsonObject): unknown[] {
  return [
    ...eventsOf(room.state),
    ...eventsOf(room.timeline),
    ...eventsOf(room.sticky),
    ...eventsOf(room.msc4354_sticky),
    ...eventsOf(room.state_after),
  ];
}

/**
 * Recognise a room dump: an array of client events (e.g. `GET /rooms/{id}/state`), a `/sync`
 * room section `{ state, timeline, sticky | msc4354_sticky }`, a whole `/sync` response holding
 * one room (or the room named by `roomId`), or a `/messages` reply `{ chunk }`.
 *
 * @remarks Throws {@link CliError} when the value is none of these.
 * @example
 * ```ts
 * const dump = readRoomDump(JSON.parse(text));
 * ```
 */
export function readRoomDump(value: unknown, roomId?: string): RoomDump {
  if (Array.isArray(value)) return { roomId: roomIdOf(value), events: value, shape: "event-array" };
  if (!isObject(value)) throw new CliError("expected a JSON array of events or a /sync object");
  if (isObject(value.rooms)) {
    const rooms: [string, JsonObject][] = [];
    for (const membership of ["join", "leave", "invite", "knock"]) {
      const group = value.rooms[membership];
      if (!isObject(group)) continue;
      for (const [id, room] of Object.entries(group)) if (isObject(room)) rooms.push([id, room]);
    }
    const chosen = roomId === undefined ? rooms : rooms.filter(([id]) => id === roomId);
    const [only] = chosen;
    if (chosen.length !== 1 || only === undefined) {
      const names = rooms.map(([id]) => id).join(", ") || "none";
      throw new CliError(
        roomId === undefined
          ? `the /sync response holds ${rooms.length} rooms (${names}); choose one with --room`
          : `room ${roomId} is not in the /sync response (rooms: ${names})`,
      );
    }
    return { roomId: only[0], events: syncRoomEvents(only[1]), shape: "sync-response" };
  }
  if (isSyncRoom(value)) {
    const events = syncRoomEvents(value);
    return { roomId: roomIdOf(events), events, shape: "sync-room" };
  }
  if (Array.isArray(value.chunk)) {
    const events = [...(Array.isArray(value.state) ? value.state : []), ...value.chunk];
    return { roomId: roomIdOf(events), events, shape: "messages-chunk" };
  }
  throw new CliError(
    "not a room dump: expected an array of events, a /sync room section or a /sync response",
  );
}

/** The highest `origin_server_ts` among the events, or undefined if none has one. */
export function latestOriginServerTs(events: readonly unknown[]): number | undefined {
  let latest: number | undefined;
  for (const event of events) {
    if (!isObject(event)) continue;
    const ts = event.origin_server_ts;
    if (typeof ts === "number" && Number.isFinite(ts) && (latest === undefined || ts > latest))
      latest = ts;
  }
  return latest;
}
