import {
  createCallRoom,
  joinRoom,
  type RegisteredUser,
  registerUser,
  type SynapseInfo,
} from "@mxrtc/stack";
import { CALL_MEMBER_EVENT_TYPE } from "./legacy-call-membership.js";
import { createRoomStateWatcher, type RoomStateWatcher } from "./room-state-watcher.js";

/** A call room with an observer (the room's creator, watching over its own /sync) and members. */
export interface CallRoom {
  readonly roomId: string;
  readonly observer: RegisteredUser;
  readonly members: readonly RegisteredUser[];
  readonly watcher: RoomStateWatcher;
}

/**
 * Registers an observer and `memberCount` users, creates a public call room (call memberships
 * allowed at power level 0), joins everyone and starts the observer's watcher.
 *
 * @remarks Registration runs `concurrency` at a time (default 8).
 */
export async function setUpCallRoom(
  synapse: SynapseInfo,
  options: { readonly memberCount: number; readonly concurrency?: number },
): Promise<CallRoom> {
  const observer = await registerUser(synapse);
  const roomId = await createCallRoom(synapse, observer);
  const members: RegisteredUser[] = [];
  const concurrency = options.concurrency ?? 8;
  for (let start = 0; start < options.memberCount; start += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, options.memberCount - start) }, async () => {
        const user = await registerUser(synapse);
        await joinRoom(synapse, user, roomId);
        return user;
      }),
    );
    members.push(...batch);
  }
  const watcher = createRoomStateWatcher({
    account: { baseUrl: synapse.baseUrl, accessToken: observer.accessToken },
    roomId,
    eventType: CALL_MEMBER_EVENT_TYPE,
  });
  await watcher.ready;
  return { roomId, observer, members, watcher };
}
