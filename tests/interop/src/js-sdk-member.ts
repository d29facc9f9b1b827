/**
 * A real matrix-js-sdk 43 client, running in Node against the test Synapse, with its own
 * MatrixRTC session for the room's default slot (`m.call#ROOM`).
 */
import type { RegisteredUser, SynapseInfo } from "@mxrtc/stack";
import { ClientEvent, createClient, type MatrixClient, type Room, SyncState } from "matrix-js-sdk";
import { logger as globalJsSdkLogger, type Logger } from "matrix-js-sdk/lib/logger.js";
import type {
  CallMembership,
  MatrixRTCSession,
  Transport,
} from "matrix-js-sdk/lib/matrixrtc/index.js";
import { waitUntil } from "./wait-until.js";

/** js-sdk logs every membership recalculation at info level; keep test output readable. */
function quietLogger(): Logger {
  const ignore = () => undefined;
  const warn = (...message: unknown[]) => {
    if (process.env.MXRTC_INTEROP_JS_SDK_LOGS) console.warn("[js-sdk]", ...message);
  };
  const logger: Logger = {
    trace: ignore,
    debug: ignore,
    info: ignore,
    warn,
    error: warn,
    getChild: () => logger,
  };
  return logger;
}

// The module-level js-sdk logger (used by MatrixRTCSession, MembershipManager, CallMembership) is
// a loglevel logger whose children copy its methodFactory: replace it so that only errors print.
const rootLogger = globalJsSdkLogger as unknown as {
  methodFactory: (method: string) => (...message: unknown[]) => void;
  rebuild?: () => void;
};
rootLogger.methodFactory = (method) =>
  process.env.MXRTC_INTEROP_JS_SDK_LOGS || method === "error"
    ? (...message) => console.error(`[js-sdk ${method}]`, ...message)
    : () => undefined;
rootLogger.rebuild?.();

/** What a js-sdk member exposes to the tests. */
export interface JsSdkMember {
  readonly user: RegisteredUser;
  readonly client: MatrixClient;
  readonly room: Room;
  readonly session: MatrixRTCSession;
  /** The member id this client joins with. */
  readonly memberId: string;
  /** Join the default slot publishing `transport`; resolves once js-sdk lists its own membership. */
  join(transport: Transport, options?: { readonly sticky?: boolean }): Promise<void>;
  /** Leave; resolves once js-sdk no longer lists its own membership. */
  leave(): Promise<void>;
  /** js-sdk's membership list for the slot (oldest first). */
  memberships(): readonly CallMembership[];
  /** js-sdk's active transport: `oldest.getTransport(oldest)`. */
  activeTransport(): Transport | undefined;
  stop(): Promise<void>;
}

/**
 * Starts a matrix-js-sdk client for `user` (already joined to `roomId`), waits for its first
 * sync and returns the room's MatrixRTC session from `client.matrixRTC`.
 *
 * @remarks No crypto is initialised: the call room is unencrypted and `manageMediaKeys` stays off.
 */
export async function startJsSdkMember(
  synapse: SynapseInfo,
  user: RegisteredUser,
  roomId: string,
  options: { readonly memberId?: string } = {},
): Promise<JsSdkMember> {
  const client = createClient({
    baseUrl: synapse.baseUrl,
    accessToken: user.accessToken,
    userId: user.userId,
    deviceId: user.deviceId,
    logger: quietLogger(),
  });
  const prepared = new Promise<void>((resolve, reject) => {
    const onSync = (state: SyncState) => {
      if (state === SyncState.Prepared || state === SyncState.Syncing) {
        client.off(ClientEvent.Sync, onSync);
        resolve();
      } else if (state === SyncState.Error) {
        client.off(ClientEvent.Sync, onSync);
        reject(new Error(`js-sdk sync failed for ${user.userId}`));
      }
    };
    client.on(ClientEvent.Sync, onSync);
  });
  await client.startClient({ initialSyncLimit: 20 });
  await prepared;
  const room = await waitUntil(() => client.getRoom(roomId) ?? undefined, {
    description: `js-sdk ${user.userId} sees room ${roomId}`,
  });
  const session = client.matrixRTC.getRoomSession(room);
  await session.initialMembershipCalculated;
  const memberId = options.memberId ?? `${user.userId}:${user.deviceId}`;
  const ownListed = () =>
    session.memberships.some(
      (membership) => membership.userId === user.userId && membership.deviceId === user.deviceId,
    );
  return {
    user,
    client,
    room,
    session,
    memberId,
    async join(transport, joinOptions = {}) {
      const identity = { userId: user.userId, deviceId: user.deviceId, memberId };
      if (joinOptions.sticky) {
        // js-sdk 43's sticky writer publishes only the multi-SFU focus (3rd argument); with only
        // fociPreferred it throws in makeMyMembership (isLivekitTransportConfig(undefined)).
        session.joinRTCSession(identity, [], transport, { unstableSendStickyEvents: true });
      } else {
        // Legacy dialect, oldest_membership focus selection (no multi-SFU focus).
        session.joinRTCSession(identity, [transport], undefined, {});
      }
      await waitUntil(() => ownListed() || undefined, {
        description: `js-sdk ${user.userId} lists its own membership`,
      });
    },
    async leave() {
      await session.leaveRoomSession(10_000);
      await waitUntil(() => !ownListed() || undefined, {
        description: `js-sdk ${user.userId} drops its own membership`,
      });
    },
    memberships: () => session.memberships,
    activeTransport() {
      const oldest = session.getOldestMembership();
      return oldest?.getTransport(oldest);
    },
    async stop() {
      if (session.isJoined()) await session.leaveRoomSession(5_000);
      await session.stop();
      client.stopClient();
    },
  };
}
