import { randomUUID } from "node:crypto";
import { type ClientEvent, MATRIXRTC_SYNC_FILTER, type MatrixPort } from "@mxrtc/matrix";
import { syncBatchEvents } from "@mxrtc/session";
import type { RoomDump } from "./room-dump.js";

/** A live room's events plus when they were received (for MSC4354 stickiness). */
export interface LiveRoomDump extends RoomDump {
  /** When the `/sync` batch arrived (ms): sticky `ttl`s count from here. */
  readonly receivedTs: number;
}

/**
 * A `/sync` filter holding only `roomId`: full state, the recent timeline and sticky events.
 *
 * @remarks With a `nonce`, the filter also excludes a made-up event type named after it, which
 * changes nothing but the filter's text: Synapse answers an identical initial `/sync` (same
 * user, device, filter and timeout) from its response cache for a while (2 min by default), so
 * without it a second `mxrtc inspect` (or `join`) shortly after another request with the same
 * token would see the room as it was then.
 * @example
 * ```ts
 * matrix.sync({ filter: roomSyncFilter("!room:example.org", crypto.randomUUID()) });
 * ```
 */
export function roomSyncFilter(roomId: string, nonce?: string): Record<string, unknown> {
  const room = MATRIXRTC_SYNC_FILTER.room as Record<string, unknown>;
  const timeline = room.timeline as Record<string, unknown>;
  return {
    ...MATRIXRTC_SYNC_FILTER,
    room: {
      ...room,
      rooms: [roomId],
      timeline:
        nonce === undefined ? timeline : { ...timeline, not_types: [`io.mxrtc.nonce.${nonce}`] },
    },
  };
}

/**
 * Read a live room: `GET /rooms/{roomId}/state` (fails fast on a bad token, a room we are not
 * in, or an unreachable server), then the first batch of a `/sync` limited to that room, for its
 * recent timeline and MSC4354 sticky events.
 *
 * @remarks Events are ordered as the reducer needs them: the sync batch (state, timeline,
 * sticky), then any current state event the batch did not hold. Rejects with the port's error.
 * @example
 * ```ts
 * const dump = await fetchLiveRoomDump(createMatrixClient({ baseUrl, accessToken }), roomId);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export async function fetchLiveRoomDump(
  matrix: MatrixPort,
  roomId: string,
  options: { readonly signal?: AbortSignal; readonly now?: () => number } = {},
): Promise<LiveRoomDump> {
  const now = options.now ?? Date.now;
  const signal = options.signal === undefined ? {} : { signal: options.signal };
  const state = await matrix.getRoomState(roomId, signal);
  const stateReceivedTs = now();
  const controller = new AbortController();
  const abort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    for await (const batch of matrix.sync({
      filter: roomSyncFilter(roomId, randomUUID()),
      timeoutMs: 0,
      signal: controller.signal,
    })) {
      const fromSync = syncBatchEvents(batch, roomId);
      const seen = new Set(fromSync.map((event) => event.event_id));
      const rest: ClientEvent[] = state.filter((event) => !seen.has(event.event_id));
      return {
        roomId,
        events: [...fromSync, ...rest],
        shape: "live",
        receivedTs: batch.receivedTs,
      };
    }
  } finally {
    options.signal?.removeEventListener("abort", abort);
    controller.abort();
  }
  return { roomId, events: state, shape: "live", receivedTs: stateReceivedTs };
}
