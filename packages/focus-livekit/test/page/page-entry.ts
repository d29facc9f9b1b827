/**
 * The browser side of the real LiveKit proof: bundled with esbuild and loaded into Chromium.
 * It runs `createLivekitFocusPlugin` with livekit-client's real `Room`, a Matrix port that asks
 * the real Synapse for OpenID tokens, and publishes Chromium's fake camera and microphone.
 */
import type { FocusMemberV1, LeavePortV1 } from "@mxrtc/focus";
import { createLocalTracks, type RemoteTrack, type Room } from "livekit-client";
import { createLivekitFocusPlugin, type LivekitFocusConnection } from "../../src/index.js";

/** What the Node side passes to {@link join}. */
export interface PageJoinConfig {
  readonly homeserverBaseUrl: string;
  readonly accessToken: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly roomId: string;
  readonly slotId: string;
  readonly serviceUrl: string;
  readonly members: readonly FocusMemberV1[];
  /** Default `"auto"`. */
  readonly tokenEndpoint?: "auto" | "get_token" | "sfu_get";
}

/** What the page reports back (JSON). */
export interface PageStatus {
  readonly state: string | undefined;
  readonly tokenEndpoint: string | undefined;
  readonly events: readonly string[];
  readonly reports: readonly { reason: string; message?: string }[];
  readonly participants: readonly { participantId: string; memberId: string | undefined }[];
  readonly video: readonly {
    participantId: string;
    framesDecoded: number;
    frameWidth: number;
    frameHeight: number;
  }[];
  readonly connectMs: number | undefined;
  readonly firstFrameMs: number | undefined;
}

let connection: LivekitFocusConnection | undefined;
const events: string[] = [];
const reports: { reason: string; message?: string }[] = [];
let startedAt = 0;
let connectMs: number | undefined;
let firstFrameMs: number | undefined;

async function join(config: PageJoinConfig): Promise<string> {
  startedAt = performance.now();
  const leavePort: LeavePortV1 = {
    specificationVersion: "v1",
    reportDisconnect(report) {
      reports.push(
        report.message === undefined
          ? { reason: report.reason }
          : { reason: report.reason, message: report.message },
      );
    },
  };
  const plugin = createLivekitFocusPlugin({
    tokenEndpoint: config.tokenEndpoint ?? "auto",
    publish: () =>
      createLocalTracks({ audio: true, video: { resolution: { width: 640, height: 360 } } }),
    // Give up reconnecting after two quick attempts, so a killed SFU is a terminal loss in seconds.
    roomOptions: {
      reconnectPolicy: {
        nextRetryDelayInMs: (context: { retryCount: number }) =>
          context.retryCount < 2 ? 300 : null,
      },
    },
  });
  connection = await plugin.connect({
    transport: { type: "livekit", livekit_service_url: config.serviceUrl },
    roomId: config.roomId,
    slotId: config.slotId,
    localMember: { userId: config.userId, deviceId: config.deviceId, memberId: config.memberId },
    members: config.members,
    leavePort,
    matrix: {
      userId: config.userId,
      deviceId: config.deviceId,
      homeserverBaseUrl: config.homeserverBaseUrl,
      async requestOpenIdToken(options) {
        const response = await fetch(
          `${config.homeserverBaseUrl}/_matrix/client/v3/user/${encodeURIComponent(config.userId)}/openid/request_token`,
          {
            method: "POST",
            headers: {
              authorization: `Bearer ${config.accessToken}`,
              "content-type": "application/json",
            },
            body: "{}",
            ...(options?.signal === undefined ? {} : { signal: options.signal }),
          },
        );
        if (!response.ok) throw new Error(`openid/request_token answered ${response.status}`);
        return response.json();
      },
      async sendToDevice() {},
      onToDevice: () => () => {},
    },
    signal: new AbortController().signal,
  });
  connectMs = performance.now() - startedAt;
  connection.on("participant-joined", ({ member, participantId }) =>
    events.push(`joined ${member.memberId} ${participantId}`),
  );
  connection.on("participant-left", ({ member }) => events.push(`left ${member.memberId}`));
  connection.on("track-added", ({ kind, participantId }) => {
    events.push(`track-added ${kind}`);
    const room = connection?.room as Room | undefined;
    for (const publication of room?.remoteParticipants
      .get(participantId)
      ?.trackPublications.values() ?? []) {
      const track = publication.track;
      if (track?.kind === "video" && track.attachedElements.length === 0) {
        const element = track.attach();
        element.muted = true;
        document.body.append(element);
      }
    }
  });
  connection.on("track-removed", () => events.push("track-removed"));
  await connection.ready;
  return connection.tokenEndpoint;
}

async function status(): Promise<PageStatus> {
  const room = connection?.room as Room | undefined;
  const video: {
    participantId: string;
    framesDecoded: number;
    frameWidth: number;
    frameHeight: number;
  }[] = [];
  for (const participant of room?.remoteParticipants.values() ?? []) {
    for (const publication of participant.trackPublications.values()) {
      const track = publication.track as RemoteTrack | undefined;
      if (track?.kind !== "video" || track.receiver === undefined) continue;
      const stats = await track.receiver.getStats();
      stats.forEach(
        (entry: {
          type: string;
          kind?: string;
          framesDecoded?: number;
          frameWidth?: number;
          frameHeight?: number;
        }) => {
          if (entry.type !== "inbound-rtp" || entry.kind !== "video") return;
          video.push({
            participantId: participant.identity,
            framesDecoded: entry.framesDecoded ?? 0,
            frameWidth: entry.frameWidth ?? 0,
            frameHeight: entry.frameHeight ?? 0,
          });
        },
      );
    }
  }
  if (firstFrameMs === undefined && video.some((entry) => entry.framesDecoded > 0)) {
    firstFrameMs = performance.now() - startedAt;
  }
  return {
    state: connection?.state,
    tokenEndpoint: connection?.tokenEndpoint,
    events: [...events],
    reports: [...reports],
    participants: (connection?.participants ?? []).map((participant) => ({
      participantId: participant.participantId,
      memberId: participant.member?.memberId,
    })),
    video,
    connectMs,
    firstFrameMs,
  };
}

async function leave(): Promise<void> {
  await connection?.close();
}

async function delegate(delegation: { delayId: string; delayMs: number }): Promise<unknown> {
  if (connection === undefined) throw new Error("not connected");
  return connection.delegate(delegation);
}

function updateMembers(members: readonly FocusMemberV1[]): void {
  connection?.updateMembers(members);
}

Object.assign(globalThis, { mxrtcProof: { join, status, leave, delegate, updateMembers } });
