import type { ClientEvent, SyncBatch } from "@mxrtc/matrix";

/**
 * The events of one room in a sync batch, in the order the state reducer needs: the `state`
 * section (state before the timeline), then the timeline, then MSC4354 sticky events.
 *
 * @remarks An initial batch carries the full room state plus the recent timeline (state events in
 * the timeline are newer than the `state` section, so they are applied too); an incremental batch
 * carries the delta. Rooms not in the batch give `[]`.
 * @example
 * ```ts
 * state = applyEvents(state, syncBatchEvents(batch, roomId), { receivedTs: batch.receivedTs });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export function syncBatchEvents(batch: SyncBatch, roomId: string): readonly ClientEvent[] {
  const room = batch.rooms[roomId];
  if (room === undefined) return [];
  return [...room.state, ...room.timeline, ...room.sticky];
}
