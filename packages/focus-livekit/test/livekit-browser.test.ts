/**
 * The real proof: two Chromium pages run the LiveKit focus plugin (livekit-client's real Room)
 * against a real LiveKit SFU and the real `@mxrtc/livekit-auth` token service, with OpenID tokens
 * from a real Synapse; each page must decode the other's fake-camera video. All on 127.0.0.1.
 */
import { createCallRoom, registerUser } from "@mxrtc/stack";
import { livekitIdentity } from "@mxrtc/types";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PageJoinConfig, PageStatus } from "./page/page-entry.js";
import { type ProofStack, startProofStack } from "./proof-stack.js";

const log = (line: string) => process.stderr.write(`[focus-livekit proof] ${line}\n`);

interface Participant {
  readonly page: Page;
  readonly config: PageJoinConfig;
  readonly identity: string;
}

let stack: ProofStack;
let alice: Participant;
let bob: Participant;

const status = (participant: Participant): Promise<PageStatus> =>
  participant.page.evaluate(() =>
    (
      globalThis as unknown as { mxrtcProof: { status(): Promise<PageStatus> } }
    ).mxrtcProof.status(),
  );

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  stack = await startProofStack(log);
  const owner = await registerUser(stack.synapse, {
    localpart: `alice-${Date.now().toString(36)}`,
  });
  const guest = await registerUser(stack.synapse, { localpart: `bob-${Date.now().toString(36)}` });
  const roomId = await createCallRoom(stack.synapse, owner, { invite: [guest.userId] });
  const slotId = "m.call#ROOM";
  const member = (user: typeof owner, memberId: string) => ({
    userId: user.userId,
    deviceId: user.deviceId,
    memberId,
    transports: [{ type: "livekit", livekit_service_url: stack.serviceUrl }],
  });
  const aliceMember = member(owner, `alice-member-${Date.now().toString(36)}`);
  const bobMember = member(guest, `bob-member-${Date.now().toString(36)}`);
  const open = async (
    user: typeof owner,
    self: typeof aliceMember,
    other: typeof aliceMember,
  ): Promise<Participant> => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    page.on("pageerror", (error) => log(`page error (${user.userId}): ${error.message}`));
    await page.goto(stack.pageUrl);
    await page.waitForFunction(() => "mxrtcProof" in globalThis);
    return {
      page,
      identity: await livekitIdentity(self.userId, self.deviceId, self.memberId),
      config: {
        homeserverBaseUrl: stack.synapse.baseUrl,
        accessToken: user.accessToken,
        userId: user.userId,
        deviceId: user.deviceId,
        memberId: self.memberId,
        roomId,
        slotId,
        serviceUrl: stack.serviceUrl,
        members: [other],
      },
    };
  };
  alice = await open(owner, aliceMember, bobMember);
  bob = await open(guest, bobMember, aliceMember);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const joinPage = (participant: Participant): Promise<string> =>
  participant.page.evaluate(
    (config) =>
      (
        globalThis as unknown as { mxrtcProof: { join(c: PageJoinConfig): Promise<string> } }
      ).mxrtcProof.join(config),
    participant.config,
  );

describe("LiveKit focus in Chromium against real LiveKit, livekit-auth and Synapse", () => {
  it("two pages connect with /get_token, map each other to their Matrix member, and decode each other's video", async () => {
    const started = performance.now();
    const endpoints = await Promise.all([joinPage(alice), joinPage(bob)]);
    expect(endpoints).toEqual(["get_token", "get_token"]);
    await waitFor("both pages to decode video", async () => {
      const [a, b] = await Promise.all([status(alice), status(bob)]);
      return (
        a.video.some((entry) => entry.framesDecoded > 0) &&
        b.video.some((entry) => entry.framesDecoded > 0)
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let a couple of seconds of video flow
    const [a, b] = await Promise.all([status(alice), status(bob)]);
    const figures = {
      ...stack.timings,
      bothDecodingAfterMs: Math.round(performance.now() - started),
      alice: {
        connectMs: Math.round(a.connectMs ?? -1),
        firstFrameMs: Math.round(a.firstFrameMs ?? -1),
        video: a.video,
      },
      bob: {
        connectMs: Math.round(b.connectMs ?? -1),
        firstFrameMs: Math.round(b.firstFrameMs ?? -1),
        video: b.video,
      },
    };
    log(`figures ${JSON.stringify(figures)}`);

    expect(a.events).toContain(`joined ${bob.config.memberId} ${bob.identity}`);
    expect(b.events).toContain(`joined ${alice.config.memberId} ${alice.identity}`);
    expect(a.participants).toEqual([
      { participantId: bob.identity, memberId: bob.config.memberId },
    ]);
    expect(b.participants).toEqual([
      { participantId: alice.identity, memberId: alice.config.memberId },
    ]);
    expect(a.events).toContain("track-added video");
    expect(a.events).toContain("track-added audio");
    expect(a.video).toEqual([
      expect.objectContaining({ participantId: bob.identity, framesDecoded: expect.any(Number) }),
    ]);
    expect(a.video[0]?.framesDecoded).toBeGreaterThan(10);
    expect(b.video[0]?.framesDecoded).toBeGreaterThan(10);
    expect(a.video[0]?.frameWidth).toBeGreaterThan(0);
    expect([a.reports, b.reports]).toEqual([[], []]);
  }, 90_000);

  it("a page that closes on purpose is seen leaving, and nobody reports a disconnect", async () => {
    await bob.page.evaluate(() =>
      (globalThis as unknown as { mxrtcProof: { leave(): Promise<void> } }).mxrtcProof.leave(),
    );
    await waitFor("alice to see bob leave", async () =>
      (await status(alice)).events.includes(`left ${bob.config.memberId}`),
    );
    const [a, b] = await Promise.all([status(alice), status(bob)]);
    expect(a.participants).toEqual([]);
    expect(b.state).toBe("closed");
    expect([a.reports, b.reports]).toEqual([[], []]);
  }, 60_000);

  it("a killed SFU is reported to the leave port exactly once, after LiveKit gives up reconnecting", async () => {
    const killed = performance.now();
    await stack.livekit.kill();
    await waitFor("alice to report the loss", async () => (await status(alice)).reports.length > 0);
    const reportedAfterMs = Math.round(performance.now() - killed);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const a = await status(alice);
    log(
      `terminal loss reported ${reportedAfterMs} ms after the SFU was killed: ${JSON.stringify(a.reports)}`,
    );
    expect(a.reports).toHaveLength(1);
    expect(["reconnect-failed", "media-connection-lost"]).toContain(a.reports[0]?.reason);
    expect(a.state).toBe("lost");
  }, 60_000);
});
