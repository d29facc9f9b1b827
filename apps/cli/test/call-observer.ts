/** A second client that watches a room's call through its own /sync and @mxrtc/state. */
import { createMatrixClient } from "@mxrtc/matrix";
import { syncBatchEvents } from "@mxrtc/session";
import {
  applyEvents,
  createRoomRtcState,
  type RoomRtcState,
  type RtcMembership,
  selectMemberships,
} from "@mxrtc/state";
import { roomSyncFilter } from "../src/live-room-dump.js";

export interface CallObserver {
  members(): readonly RtcMembership[];
  /** Resolves with the time (ms) the predicate became true; rejects after `timeoutMs`. */
  waitFor(
    predicate: (members: readonly RtcMembership[]) => boolean,
    timeoutMs: number,
  ): Promise<number>;
  stop(): void;
}

export function observeCall(options: {
  baseUrl: string;
  accessToken: string;
  roomId: string;
}): CallObserver {
  const matrix = createMatrixClient({ baseUrl: options.baseUrl, accessToken: options.accessToken });
  const controller = new AbortController();
  let state: RoomRtcState = createRoomRtcState({ roomId: options.roomId });
  const waiters = new Set<() => void>();
  const members = () => selectMemberships(state, { slotId: "m.call#ROOM", now: Date.now() });
  void (async () => {
    try {
      for await (const batch of matrix.sync({
        filter: roomSyncFilter(options.roomId),
        timeoutMs: 5_000,
        signal: controller.signal,
      })) {
        state = applyEvents(state, syncBatchEvents(batch, options.roomId), {
          receivedTs: batch.receivedTs,
        });
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // stopped
    }
  })();
  return {
    members,
    waitFor(predicate, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(members())) return;
          cleanup();
          resolve(Date.now());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `not seen within ${timeoutMs} ms; members: ${JSON.stringify(members().map((m) => [m.userId, m.deviceId, m.dialect]))}`,
            ),
          );
        }, timeoutMs);
        const poll = setInterval(check, 50);
        const cleanup = () => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop: () => controller.abort(),
  };
}
