/**
 * The browser side of the composed proof: a whole `@mxrtc/session` (fetch-based
 * `createMatrixClient` against the real Synapse, its own /sync loop, the leave scheduler with a
 * delegated delayed leave) with `createLivekitFocusPlugin` publishing Chromium's fake camera.
 */
import { createMatrixClient } from "@mxrtc/matrix";
import { createRtcSession, type RtcSession } from "@mxrtc/session";
import { createLocalTracks, type RemoteTrack, type Room } from "livekit-client";
import { createLivekitFocusPlugin, type LivekitFocusConnection } from "../../src/index.js";

/** What the Node side passes to {@link join}. */
export interface SessionPageConfig {
  readonly homeserverBaseUrl: string;
  readonly accessToken: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  readonly serviceUrl: string;
  /** Delay of our own delayed leave (the scheduler heartbeats it; the service sends it early). */
  readonly delayMs: number;
}

/** What the page reports back (JSON). Times are `Date.now()` of this machine. */
export interface SessionPageStatus {
  readonly joinState: string | undefined;
  /** Member ids of the remote memberships the session lists now. */
  readonly remoteMembers: readonly string[];
  /** Member id → when it was last seen disappearing from `session.memberships`. */
  readonly membershipGoneTs: Readonly<Record<string, number>>;
  /** Our LiveKit identity, once connected. */
  readonly identity: string | undefined;
  /** The delay id of our current delayed leave. */
  readonly delayId: string | undefined;
  readonly participants: readonly { participantId: string; memberId: string | undefined }[];
  readonly video: readonly { participantId: string; framesDecoded: number; frameWidth: number }[];
  readonly joinStartedTs: number | undefined;
  readonly firstFrameTs: number | undefined;
  readonly errors: readonly string[];
}

let session: RtcSession | undefined;
let joinStartedTs: number | undefined;
let firstFrameTs: number | undefined;
let remoteMembers: string[] = [];
const membershipGoneTs: Record<string, number> = {};
const errors: string[] = [];

async function join(config: SessionPageConfig): Promise<void> {
  const matrix = createMatrixClient({
    baseUrl: config.homeserverBaseUrl,
    accessToken: config.accessToken,
    userId: config.userId,
    deviceId: config.deviceId,
  });
  const plugin = createLivekitFocusPlugin({
    publish: () =>
      createLocalTracks({ audio: true, video: { resolution: { width: 640, height: 360 } } }),
  });
  session = createRtcSession({
    matrix,
    roomId: config.roomId,
    userId: config.userId,
    deviceId: config.deviceId,
    plugins: [plugin],
    transports: [{ type: "livekit", livekit_service_url: config.serviceUrl }],
    scheduler: { delegated: true, delayMs: config.delayMs },
  });
  session.on("memberships-changed", ({ memberships }) => {
    const now = Date.now();
    const next = memberships.filter((entry) => !entry.isLocal).map((entry) => entry.memberId);
    for (const memberId of remoteMembers) {
      if (!next.includes(memberId)) membershipGoneTs[memberId] = now;
    }
    remoteMembers = next;
  });
  session.on("error", ({ error, fatal }) => errors.push(`${error.code}${fatal ? " (fatal)" : ""}`));
  joinStartedTs = Date.now();
  // Watch for the first decoded frame ourselves, so its time does not depend on Node's polling.
  const watch = setInterval(() => {
    if (firstFrameTs !== undefined) clearInterval(watch);
    else void status();
  }, 25);
  await session.join();
}

function connection(): LivekitFocusConnection | undefined {
  return session?.focusConnection as LivekitFocusConnection | undefined;
}

async function status(): Promise<SessionPageStatus> {
  const focus = connection();
  const room = focus?.room as Room | undefined;
  const video: { participantId: string; framesDecoded: number; frameWidth: number }[] = [];
  for (const participant of room?.remoteParticipants.values() ?? []) {
    for (const publication of participant.trackPublications.values()) {
      const track = publication.track as RemoteTrack | undefined;
      if (track?.kind !== "video" || track.receiver === undefined) continue;
      if (track.attachedElements.length === 0) {
        const element = track.attach();
        element.muted = true;
        document.body.append(element);
      }
      const stats = await track.receiver.getStats();
      stats.forEach(
        (entry: { type: string; kind?: string; framesDecoded?: number; frameWidth?: number }) => {
          if (entry.type !== "inbound-rtp" || entry.kind !== "video") return;
          video.push({
            participantId: participant.identity,
            framesDecoded: entry.framesDecoded ?? 0,
            frameWidth: entry.frameWidth ?? 0,
          });
        },
      );
    }
  }
  if (firstFrameTs === undefined && video.some((entry) => entry.framesDecoded > 0)) {
    firstFrameTs = Date.now();
  }
  return {
    joinState: session?.joinState,
    remoteMembers: [...remoteMembers],
    membershipGoneTs: { ...membershipGoneTs },
    identity: room?.localParticipant.identity,
    delayId: session?.scheduler?.delayId,
    participants: (focus?.participants ?? []).map((participant) => ({
      participantId: participant.participantId,
      memberId: participant.member?.memberId,
    })),
    video,
    joinStartedTs,
    firstFrameTs,
    errors: [...errors],
  };
}

Object.assign(globalThis, { mxrtcSessionProof: { join, status } });
