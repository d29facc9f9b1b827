import type { MatrixPort } from "@mxrtc/matrix";
import {
  applyEvents,
  createRoomRtcState,
  type RoomRtcState,
  selectMemberships,
  selectSessions,
} from "@mxrtc/state";
import { DEFAULT_SLOT_ID } from "@mxrtc/types";

/** What the room says about the call at one moment: who counts, keyed `user device`. */
export interface RoomView {
  readonly members: ReadonlySet<string>;
  readonly state: RoomRtcState;
}

/** Follows one room's call through `/sync` and calls `onChange` whenever its member set changes. */
export interface RoomWatcher {
  /** The latest view. */
  readonly view: RoomView;
  /** Resolves once `predicate` holds for the view (checked on every sync batch). */
  until(predicate: (view: RoomView) => boolean, timeoutMs: number): Promise<RoomView>;
  stop(): void;
}

const memberKey = (member: { userId: string; deviceId: string }) =>
  `${member.userId} ${member.deviceId}`;

/**
 * Watch a room's call the way any client would: the homeserver's `/sync` fed into the pure
 * `@mxrtc/state` reducer.
 *
 * @example
 * ```ts
 * const watcher = watchRoom({ matrix, roomId, onChange: (view) => console.log([...view.members]) });
 * await watcher.until((view) => view.members.size === 2, 30_000);
 * ```
 */
export function watchRoom(options: {
  matrix: MatrixPort;
  roomId: string;
  onChange: (view: RoomView, previous: RoomView) => void;
}): RoomWatcher {
  const controller = new AbortController();
  let view: RoomView = {
    members: new Set(),
    state: createRoomRtcState({ roomId: options.roomId }),
  };
  const waiters = new Set<() => void>();
  const refresh = (state: RoomRtcState) => {
    const members = new Set(
      selectMemberships(state, { slotId: DEFAULT_SLOT_ID, now: Date.now() }).map(memberKey),
    );
    const previous = view;
    view = { members, state };
    const changed =
      members.size !== previous.members.size || [...members].some((m) => !previous.members.has(m));
    if (changed) options.onChange(view, previous);
    for (const waiter of waiters) waiter();
  };
  const loop = (async () => {
    for await (const batch of options.matrix.sync({
      signal: controller.signal,
      timeoutMs: 2_000,
    })) {
      const room = batch.rooms[options.roomId];
      if (room === undefined) {
        refresh(view.state);
        continue;
      }
      const events = [...room.state, ...room.timeline, ...room.sticky];
      refresh(applyEvents(view.state, events, { receivedTs: batch.receivedTs }));
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return {
    get view() {
      return view;
    },
    until(predicate, timeoutMs) {
      return new Promise<RoomView>((resolve, reject) => {
        const check = () => {
          if (!predicate(view)) return;
          cleanup();
          resolve(view);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`the room did not reach the expected state within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
        loop.catch((error: unknown) => {
          cleanup();
          reject(error);
        });
      });
    },
    stop() {
      controller.abort();
    },
  };
}

/** The slot's past sessions as the reducer recorded them. */
export function pastSessions(view: RoomView) {
  return selectSessions(view.state, { slotId: DEFAULT_SLOT_ID, now: Date.now() });
}
