import type { ClientEvent, SyncBatch } from "@mxrtc/matrix";

const stateKeyOf = (event: ClientEvent): string | undefined =>
  event.state_key === undefined ? undefined : `${event.type}\u0000${event.state_key}`;

/**
 * The events of one room in a sync batch, in the order the state reducer needs: the `state`
 * section, then the timeline, then MSC4354 sticky events.
 *
 * @remarks Incremental batches are passed through. In an initial batch, a state-section event
 * whose type and state key also occur in the timeline is left out: a raw `/sync` puts the state
 * *before* the timeline there (the timeline holds the newer version), while `fromMatrixJsSdk`'s
 * snapshot puts the *current* state there (the timeline holds older versions too); skipping it is
 * right for both. Rooms not in the batch give `[]`.
 * @example
 * ```ts
 * state = applyEvents(state, syncBatchEvents(batch, roomId), { receivedTs: batch.receivedTs });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export function syncBatchEvents(batch: SyncBatch, roomId: string): readonly ClientEvent[] {
  const room = batch.rooms[roomId];
  if (room === undefined) return [];
  if (!batch.initial) return [...room.state, ...room.timeline, ...room.sticky];
  const inTimeline = new Set<string>();
  for (const event of room.timeline) {
    const key = stateKeyOf(event);
    if (key !== undefined) inTimeline.add(key);
  }
  const state = room.state.filter((event) => {
    const key = stateKeyOf(event);
    return key === undefined || !inTimeline.has(key);
  });
  return [...state, ...room.timeline, ...room.sticky];
}
