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
  "org.matrix.msc4143.rtc.slot",
  "m.rtc.slot",
]);

/** Events of one room in one sync batch, in the order the reducer should see them. */
export function roomEventsOf(batch: SyncBatch, roomId: string): readonly ClientEvent[] {
  const room = batch.rooms[roomId];
  if (room === undefined) return [];
  return [...room.state, ...room.timeline, ...room.sticky];
}

/**
 * One-shot read, as a freshly started client: the first two `/sync` batches (state, timeline and
 * the MSC4354 sticky section), then `GET /rooms/{id}/state` (the current state, applied last because
 * it is the newest knowledge), all applied to a new state.
 *
 * @remarks Order matters: the reducer lets the last applied state event win and ignores an
 * event id it has seen, so applying `/state` first and then an initial sync's `state` section
 * (state at the start of the timeline) would resurrect a membership the timeline later ends.
 */
export async function readRoomOnce(
  synapse: SynapseInfo,
  user: RegisteredUser,
  roomId: string,
): Promise<{
  state: RoomRtcState;
  events: readonly ClientEvent[];
  /** The events that came in the MSC4354 sticky section (not the timeline). */
  stickySection: readonly ClientEvent[];
}> {
  const matrix = createMatrixClient({
    baseUrl: synapse.baseUrl,
    accessToken: user.accessToken,
    userId: user.userId,
    deviceId: user.deviceId,
  });
  let state = createRoomRtcState({ roomId });
  const events: ClientEvent[] = [];
  const stickySection: ClientEvent[] = [];
  const controller = new AbortController();
  // Synapse caches an initial (since-less) /sync response per user for up to 2 minutes
  // (SYNC_RESPONSE_CACHE_MS), so a second fresh read would get a stale snapshot: always follow
  // the first batch with one incremental batch.
  let batches = 0;
  for await (const batch of matrix.sync({ signal: controller.signal, timeoutMs: 0 })) {
    const batchEvents = roomEventsOf(batch, roomId);
    events.push(...batchEvents);
    stickySection.push(...(batch.rooms[roomId]?.sticky ?? []));
    state = applyEvents(state, batchEvents, { receivedTs: batch.receivedTs });
    batches += 1;
    if (batches === 2) {
      controller.abort();
      break;
    }
  }
  const roomState = await matrix.getRoomState(roomId);
  events.push(...roomState);
  state = applyEvents(state, roomState);
  return { state, events, stickySection };
}

/** A live view of the room through our own sync loop. */
export interface OurRoomView {
  /** The reducer state as of the last applied batch. */
  readonly state: () => RoomRtcState;
  /** Every call-membership and slot event seen (for recording the wire format). */
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
