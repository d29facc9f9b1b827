import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { launchChromium } from "./chromium.js";
import { restrictWebRtcToLoopback } from "./loopback-webrtc.js";

// Plain JavaScript run in the page (no bundler helpers): gathers, then reports what the page saw.
const GATHER = `(async () => {
  const pc = new RTCPeerConnection({ iceServers: [{ urls: "stun:stun.invalid:3478" }] });
  const seen = [];
  pc.onicecandidate = (event) => { if (event.candidate && event.candidate.candidate) seen.push(event.candidate.candidate); };
  pc.createDataChannel("probe");
  await pc.setLocalDescription(await pc.createOffer());
  const deadline = Date.now() + 5000;
  while (pc.iceGatheringState !== "complete" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const sdpCandidates = pc.localDescription.sdp.split("\\r\\n").filter((line) => line.startsWith("a=candidate:"));
  const result = {
    wrapped: RTCPeerConnection.mxrtcLoopbackOnly === true,
    iceServers: pc.getConfiguration().iceServers.length,
    seen,
    sdpCandidates,
  };
  pc.close();
  return result;
})()`;

interface Gathered {
  wrapped: boolean;
  iceServers: number;
  seen: string[];
  sdpCandidates: string[];
}

function address(candidate: string): string {
  return candidate.replace(/^a=/, "").split(" ")[4] ?? "";
}

it("restrictWebRtcToLoopback drops ICE servers and every non-loopback candidate", async () => {
  const server = createServer((_request, response) => response.end("<title>x</title>"));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ permissions: ["camera", "microphone"] });
    await restrictWebRtcToLoopback(context);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const gathered = (await page.evaluate(GATHER)) as Gathered;
    expect(gathered.wrapped).toBe(true);
    expect(gathered.iceServers).toBe(0);
    expect(gathered.seen.length).toBeGreaterThan(0); // --allow-loopback-in-peer-connection
    for (const candidate of [...gathered.seen, ...gathered.sdpCandidates]) {
      expect(address(candidate)).toMatch(/^(127\.|::1$)/);
    }
  } finally {
    await browser.close();
    server.close();
  }
}, 60_000);
