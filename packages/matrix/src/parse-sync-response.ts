import type { ClientEvent, SyncBatch, SyncRoomUpdate, ToDeviceEvent } from "./matrix-port.js";
import { isClientEvent, isRecord } from "./response-shapes.js";

const membershipSections = ["join", "leave", "invite", "knock"] as const;

function events(section: unknown, roomId: string): ClientEvent[] {
  if (!isRecord(section) || !Array.isArray(section.events)) return [];
  return section.events
    .filter(isClientEvent)
    .map((event) => (event.room_id === undefined ? { ...event, room_id: roomId } : event));
}

function stickyEvents(room: Record<string, unknown>, roomId: string): ClientEvent[] {
  const merged = [...events(room.sticky, roomId), ...events(room.msc4354_sticky, roomId)];
  const seen = new Set<string>();
  return merged.filter((event) => {
    if (seen.has(event.event_id)) return false;
    seen.add(event.event_id);
    return true;
  });
}

function toDeviceEvents(body: Record<string, unknown>): ToDeviceEvent[] {
  const section = body.to_device;
  if (!isRecord(section) || !Array.isArray(section.events)) return [];
  const result: ToDeviceEvent[] = [];
  for (const event of section.events) {
    if (
      isRecord(event) &&
      typeof event.type === "string" &&
      typeof event.sender === "string" &&
      isRecord(event.content)
    ) {
      result.push({ type: event.type, sender: event.sender, content: event.content });
    }
  }
  return result;
}

/**
 * Normalises a `/sync` response body. Returns `undefined` when it has no `next_batch`.
 *
 * @remarks Malformed events are dropped. Sticky events come from `rooms.join.{id}.sticky.events`
 * (stable) and `msc4354_sticky.events` (unstable), de-duplicated by event id. Events get a
 * `room_id` when the server left it out. Invites and knocks carry no events (their stripped
 * state is not a client event).
 */
export function parseSyncResponse(
  body: unknown,
  context: { readonly initial: boolean; readonly receivedTs: number },
): SyncBatch | undefined {
  if (!isRecord(body) || typeof body.next_batch !== "string") return undefined;
  const rooms: Record<string, SyncRoomUpdate> = {};
  const roomSections = isRecord(body.rooms) ? body.rooms : {};
  for (const membership of membershipSections) {
    const section = roomSections[membership];
    if (!isRecord(section)) continue;
    for (const [roomId, room] of Object.entries(section)) {
      if (!isRecord(room)) continue;
      const timeline = room.timeline;
      const hasEvents = membership === "join" || membership === "leave";
      rooms[roomId] = {
        membership,
        state: hasEvents ? events(room.state, roomId) : [],
        timeline: hasEvents ? events(timeline, roomId) : [],
        sticky: hasEvents ? stickyEvents(room, roomId) : [],
        ...(isRecord(timeline) && typeof timeline.limited === "boolean"
          ? { limited: timeline.limited }
          : {}),
      };
    }
  }
  return {
    nextBatch: body.next_batch,
    initial: context.initial,
    receivedTs: context.receivedTs,
    rooms,
    toDevice: toDeviceEvents(body),
  };
}
