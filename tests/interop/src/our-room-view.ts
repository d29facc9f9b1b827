/**
 * Our side of the call: @mxrtc/matrix /sync (and room state) fed into the pure @mxrtc/state
 * reducer, as a client built on mxrtc would do it.
 */
import { type ClientEvent, createMatrixClient, type SyncBatch } from "@mxrtc/matrix";
import type { RegisteredUser, SynapseInfo } from "@mxrtc/stack";
import {
  applyEvents,
  createRoomRtcState,
  type RoomRtcState,
  type RtcMembership,
  selectMemberships,
  selectTransport,
} from "@mxrtc/state";
import { DEFAULT_SLOT_ID, type RtcTransport } from "@mxrtc/types";

/** Event types whose wire form the tests record. */
const RTC_TYPES = new Set([
  "org.matrix.msc3401.call.member",
  "org.matrix.msc4143.rtc.member",
  "m.rtc.member",
]);

/** Events of one room in one sync batch, in the order the reducer should see them. */
export function roomEventsOf(batch: SyncBatch, roomId: string): readonly ClientEvent[] {
  const room = batch.rooms[roomId];
  if (room === undefined) return [];
  return [...room.state, ...room.timeline, ...room.sticky];
}

/**
 * One-shot read, as a freshly started client: `GET /rooms/{id}/state`, then the first `/sync`
 * batch (state, timeline and the MSC4354 sticky section), all applied to a new state.
 */
export async function readRoomOnce(
  synapse: SynapseInfo,
  user: RegisteredUser,
  roomId: string,
): Promise<{ state: RoomRtcState; events: readonly ClientEvent[] }> {
  const matrix = createMatrixClient({
    baseUrl: synapse.baseUrl,
    accessToken: user.accessToken,
    userId: user.userId,
    deviceId: user.deviceId,
  });
  const roomState = await matrix.getRoomState(roomId);
  let state = applyEvents(createRoomRtcState({ roomId }), roomState);
  const events: ClientEvent[] = [...roomState];
  const controller = new AbortController();
  for await (const batch of matrix.sync({ signal: controller.signal, timeoutMs: 0 })) {
    const batchEvents = roomEventsOf(batch, roomId);
    events.push(...batchEvents);
    state = applyEvents(state, batchEvents, { receivedTs: batch.receivedTs });
    controller.abort();
    break;
  }
  return { state, events };
}

/** A live view of the room through our own sync loop. */
export interface OurRoomView {
  /** The reducer state as of the last applied batch. */
  readonly state: () => RoomRtcState;
  /** Every call-membership event seen (for recording the wire format). */
  readonly rtcEvents: () => readonly ClientEvent[];
  memberships(now?: number): readonly RtcMembership[];
  transport(now?: number): RtcTransport | undefined;
  /** Resolves after at least one more sync batch has been applied. */
  nextBatch(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a sync loop for `user` and keeps an @mxrtc/state view of `roomId` up to date. */
export async function watchRoom(
  synapse: SynapseInfo,
  user: RegisteredUser,
  roomId: string,
  options: { readonly slotId?: string } = {},
): Promise<OurRoomView> {
  const slotId = options.slotId ?? DEFAULT_SLOT_ID;
  const matrix = createMatrixClient({
    baseUrl: synapse.baseUrl,
    accessToken: user.accessToken,
    userId: user.userId,
    deviceId: user.deviceId,
  });
  const controller = new AbortController();
  let state = createRoomRtcState({ roomId });
  const seen: ClientEvent[] = [];
  let batches = 0;
  const waiters: Array<{ after: number; resolve: () => void }> = [];
  let firstBatch: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    firstBatch = resolve;
  });
  const loop = (async () => {
    try {
      for await (const batch of matrix.sync({ signal: controller.signal, timeoutMs: 5_000 })) {
        const events = roomEventsOf(batch, roomId);
        state = applyEvents(state, events, { receivedTs: batch.receivedTs });
        for (const event of events) if (RTC_TYPES.has(event.type)) seen.push(event);
        batches += 1;
        firstBatch();
        for (const waiter of waiters.splice(0)) {
          if (batches > waiter.after) waiter.resolve();
          else waiters.push(waiter);
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  await ready;
  return {
    state: () => state,
    rtcEvents: () => seen,
    memberships: (now = Date.now()) => selectMemberships(state, { slotId, now }),
    transport: (now = Date.now()) => selectTransport(state, { slotId, now }),
    nextBatch: () =>
      new Promise<void>((resolve) => {
        waiters.push({ after: batches, resolve });
      }),
    async stop() {
      controller.abort();
      await loop.catch(() => undefined);
    },
  };
}
