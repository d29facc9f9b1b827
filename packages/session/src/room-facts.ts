/** What the session needs to know about the room besides memberships. */
export interface RoomFacts {
  /** `m.room.create` `room_version`, once seen (`"1"` when the event has none). */
  readonly roomVersion?: string;
  /** The latest `m.room.power_levels` content, once seen. */
  readonly powerLevels?: Record<string, unknown>;
}

/**
 * Fold `m.room.create` and `m.room.power_levels` state events into {@link RoomFacts}.
 *
 * @remarks Pure; other events and malformed ones leave the facts unchanged.
 * @example
 * ```ts
 * facts = foldRoomFacts(facts, room.state);
 * ```
 */
export function foldRoomFacts(facts: RoomFacts, events: Iterable<unknown>): RoomFacts {
  let result = facts;
  for (const event of events) {
    if (typeof event !== "object" || event === null) continue;
    const { type, state_key: stateKey, content } = event as Record<string, unknown>;
    if (stateKey !== "" || typeof content !== "object" || content === null) continue;
    const body = content as Record<string, unknown>;
    if (type === "m.room.create") {
      const version = typeof body.room_version === "string" ? body.room_version : "1";
      result = { ...result, roomVersion: version };
    } else if (type === "m.room.power_levels") {
      result = { ...result, powerLevels: body };
    }
  }
  return result;
}
