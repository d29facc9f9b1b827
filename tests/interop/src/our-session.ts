/**
 * One of our members as an app builds it: a real `@mxrtc/session` (`createRtcSession`) over
 * `createMatrixClient`, with the no-media reference focus plugin standing in for LiveKit, its own
 * `/sync` loop and its own leave scheduler.
 */
import { createReferenceFocusPlugin } from "@mxrtc/focus-reference";
import { createMatrixClient } from "@mxrtc/matrix";
import {
  createRtcSession,
  type RtcSession,
  type RtcSessionOptions,
  type SessionSchedulerOptions,
} from "@mxrtc/session";
import type { RegisteredUser, SynapseInfo } from "@mxrtc/stack";
import type { RtcTransport } from "@mxrtc/types";
import { waitUntil } from "./wait-until.js";

/** A request our session sent, as seen by the recording `fetch`. */
export interface RecordedRequest {
  readonly ts: number;
  readonly method: string;
  readonly path: string;
  /** The query string (`?org.matrix.msc4140.delay=…` marks a delayed send). */
  readonly query: string;
}

/** One of our sessions and what the tests need around it. */
export interface OurSession {
  readonly user: RegisteredUser;
  readonly session: RtcSession;
  readonly transport: RtcTransport;
  /** Every request the session's Matrix client sent, in order (the sync long-polls included). */
  readonly requests: readonly RecordedRequest[];
  /** The transport of every `connect()` the session made to its focus plugin, in order. */
  readonly focusConnects: readonly RtcTransport[];
  /** Whether the session lists its own membership. */
  listsItself(): boolean;
  /**
   * `session.join()`, then wait until the session's own sync lists us. (A re-send of identical
   * legacy content is deduplicated by Synapse, which returns the current event's id.)
   */
  join(): Promise<void>;
  /** `session.leave()`, then wait until the session's own sync no longer lists us. */
  leave(): Promise<void>;
  /** `session.close()` (leaves first if joined). Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates a session for `user` in `roomId` publishing `transport`, with the reference focus
 * plugin registered as `livekit`; waits until its first sync has been applied (the `m.room.create`
 * event is in its reducer state).
 */
export async function startOurSession(
  synapse: SynapseInfo,
  user: RegisteredUser,
  roomId: string,
  options: {
    readonly transport: RtcTransport;
    readonly dialect?: "legacy" | "sticky";
    readonly scheduler?: SessionSchedulerOptions;
    readonly memberId?: string;
  },
): Promise<OurSession> {
  const requests: RecordedRequest[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    requests.push({
      ts: Date.now(),
      method: init?.method ?? "GET",
      path: url.pathname,
      query: url.search,
    });
    return fetch(input, init);
  };
  // The reference plugin standing in for LiveKit, wrapped to record what the session connects to.
  const focusConnects: RtcTransport[] = [];
  const reference = createReferenceFocusPlugin({ focusType: "livekit" });
  const plugin: NonNullable<RtcSessionOptions["plugins"]>[number] = {
    specificationVersion: "v1",
    focusType: reference.focusType,
    connect(connectOptions) {
      focusConnects.push(connectOptions.transport);
      return reference.connect(connectOptions);
    },
  };
  const session = createRtcSession({
    matrix: createMatrixClient({
      baseUrl: synapse.baseUrl,
      accessToken: user.accessToken,
      fetch: recordingFetch,
    }),
    roomId,
    plugins: [plugin],
    transports: [options.transport],
    ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
    ...(options.scheduler === undefined ? {} : { scheduler: options.scheduler }),
    ...(options.memberId === undefined ? {} : { memberId: options.memberId }),
  });
  // The first batch carries the room's state: once the reducer has seen anything, we have synced.
  await waitUntil(() => (session.state.latestTs !== undefined ? true : undefined), {
    description: `our session for ${user.userId} applied its first sync`,
  });
  const listsItself = () => session.memberships.some((membership) => membership.isLocal);
  let closed = false;
  return {
    user,
    session,
    transport: options.transport,
    requests,
    focusConnects,
    listsItself,
    async join() {
      await session.join();
      await waitUntil(() => listsItself() || undefined, {
        description: `our session ${user.userId} lists its own membership`,
      });
    },
    async leave() {
      await session.leave();
      await waitUntil(() => !listsItself() || undefined, {
        description: `our session ${user.userId} drops its own membership`,
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.close();
    },
  };
}
