import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { AccessToken, RoomServiceClient } from "livekit-server-sdk";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { launchChromium } from "./chromium.js";
import { restrictWebRtcToLoopback } from "./loopback-webrtc.js";
import "./provided-context.js";

// Runs in the page: livekit-client's UMD bundle defines the global `LivekitClient`.
const PAGE_SCRIPT = `
window.mxrtcPublish = async (url, token) => {
  const room = new LivekitClient.Room();
  await room.connect(url, token);
  await room.localParticipant.setCameraEnabled(true);
  window.mxrtcRoom = room;
  return room.localParticipant.identity;
};
window.mxrtcSubscribe = async (url, token, timeoutMs) => {
  const room = new LivekitClient.Room();
  const subscribed = new Promise((resolve) => {
    room.on(LivekitClient.RoomEvent.TrackSubscribed, (track) => {
      if (track.kind === "video") resolve(track);
    });
  });
  await room.connect(url, token);
  window.mxrtcRoom = room;
  const track = await subscribed;
  const video = track.attach();
  video.muted = true;
  document.body.appendChild(video);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await track.receiver.getStats();
    let frames = 0;
    let pair;
    const addresses = {};
    report.forEach((stat) => {
      if (stat.type === "inbound-rtp" && stat.kind === "video") frames = stat.framesDecoded ?? 0;
      if (stat.type === "candidate-pair" && stat.state === "succeeded" && stat.nominated) pair = stat;
      if (stat.type === "local-candidate" || stat.type === "remote-candidate") addresses[stat.id] = stat.address ?? stat.ip;
    });
    if ((frames > 0 && pair) || Date.now() > deadline) {
      return {
        frames,
        local: pair ? addresses[pair.localCandidateId] : null,
        remote: pair ? addresses[pair.remoteCandidateId] : null,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
`;

interface PageGlobals {
  mxrtcPublish(url: string, token: string): Promise<string>;
  mxrtcSubscribe(
    url: string,
    token: string,
    timeoutMs: number,
  ): Promise<{ frames: number; local: string | null; remote: string | null }>;
}

let server: Server;
let browser: Browser;
let pageUrl: string;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const bundle = await readFile(require.resolve("livekit-client"), "utf8");
  server = createServer((request, response) => {
    if (request.url === "/livekit-client.js") {
      response.setHeader("content-type", "text/javascript");
      response.end(bundle);
      return;
    }
    response.setHeader("content-type", "text/html");
    response.end(
      `<!doctype html><title>sfu</title><script src="/livekit-client.js"></script><script>${PAGE_SCRIPT}</script>`,
    );
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

async function token(identity: string, room: string): Promise<string> {
  const livekit = inject("livekit");
  const accessToken = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity });
  accessToken.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
  return accessToken.toJwt();
}

it("carries a fake camera from one Chromium page to another through the SFU, on loopback", async () => {
  const livekit = inject("livekit");
  const roomName = "media-room";
  await new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret).createRoom({
    name: roomName,
    emptyTimeout: 30,
  });
  // Media permission also stops Chromium from hiding host candidates behind mDNS names.
  const permissions = ["camera", "microphone"];
  const publisherContext = await browser.newContext({ permissions });
  const subscriberContext = await browser.newContext({ permissions });
  await restrictWebRtcToLoopback(publisherContext);
  await restrictWebRtcToLoopback(subscriberContext);
  const publisher = await publisherContext.newPage();
  const subscriber = await subscriberContext.newPage();
  await publisher.goto(pageUrl);
  await subscriber.goto(pageUrl);
  const publisherToken = await token("alice", roomName);
  const identity = await publisher.evaluate(
    ([url, jwt]) => (globalThis as unknown as PageGlobals).mxrtcPublish(url, jwt),
    [livekit.url, publisherToken] as const,
  );
  expect(identity).toBe("alice");
  const subscriberToken = await token("bob", roomName);
  const received = await subscriber.evaluate(
    ([url, jwt]) => (globalThis as unknown as PageGlobals).mxrtcSubscribe(url, jwt, 20_000),
    [livekit.url, subscriberToken] as const,
  );
  expect(received.frames).toBeGreaterThan(0);
  // The SFU side of the selected pair is loopback. Chromium may send from its own non-loopback
  // host address to it (it ranks loopback networks lower and cannot be told to skip others);
  // such packets are delivered locally and never leave the machine.
  expect(received.remote).toBe("127.0.0.1");
}, 60_000);
