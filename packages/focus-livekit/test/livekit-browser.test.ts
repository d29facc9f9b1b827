/**
 * The real proof: two Chromium pages run the LiveKit focus plugin (livekit-client's real Room)
 * against a real LiveKit SFU and the real `@mxrtc/livekit-auth` token service, with OpenID tokens
 * from a real Synapse; each page must decode the other's fake-camera video. All on 127.0.0.1.
 */
import { createCallRoom, joinRoom, matrixRequest, registerUser } from "@mxrtc/stack";
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
let carol: Participant & { readonly accessToken: string };
let dave: Participant;

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
  const legacy = await registerUser(stack.synapse, {
    localpart: `dave-${Date.now().toString(36)}`,
  });
  const late = await registerUser(stack.synapse, { localpart: `carol-${Date.now().toString(36)}` });
  const roomId = await createCallRoom(stack.synapse, owner, {
    invite: [guest.userId, late.userId],
  });
  await joinRoom(stack.synapse, late, roomId);
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
  const carolMember = member(late, `carol-member-${Date.now().toString(36)}`);
  carol = { ...(await open(late, carolMember, aliceMember)), accessToken: late.accessToken };
  // A legacy (G1) member: its membership id defaults to user:device and its client uses /sfu/get.
  const daveMember = member(legacy, `${legacy.userId}:${legacy.deviceId}`);
  const opened = await open(legacy, daveMember, aliceMember);
  dave = {
    ...opened,
    identity: `${legacy.userId}:${legacy.deviceId}`,
    config: { ...opened.config, tokenEndpoint: "sfu_get" },
  };
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

  it("a delegated delayed leave is sent by the token service as soon as a crashed page drops out of LiveKit", async () => {
    const { roomId, userId } = carol.config;
    const stateKey = `_${userId}_${carol.config.deviceId}_m.call`;
    const statePath = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/org.matrix.msc3401.call.member/${encodeURIComponent(stateKey)}`;
    const delayMs = 120_000;
    const { delay_id: delayId } = await matrixRequest<{ delay_id: string }>(
      stack.synapse.baseUrl,
      "PUT",
      `${statePath}?org.matrix.msc4140.delay=${delayMs}`,
      { accessToken: carol.accessToken, body: { left_by: "delegated delayed leave" } },
    );
    expect(await joinPage(carol)).toBe("get_token");
    const delegation = await carol.page.evaluate(
      (input) =>
        (
          globalThis as unknown as {
            mxrtcProof: { delegate(d: { delayId: string; delayMs: number }): Promise<unknown> };
          }
        ).mxrtcProof.delegate(input),
      { delayId, delayMs },
    );
    expect(delegation).toEqual({ delegated: true });
    await waitFor("alice to see carol's participant", async () =>
      (await status(alice)).participants.some((entry) => entry.participantId === carol.identity),
    );
    // Alice was not told about carol's membership: an identity without a member.
    expect((await status(alice)).participants).toContainEqual({
      participantId: carol.identity,
      memberId: undefined,
    });
    // The service watches a delegated participant once LiveKit reports it connected (webhook or
    // its GetParticipant poll); a crash before that is only caught by the delay itself.
    await waitFor("the service to see carol connected", async () =>
      (await stack.delegations.list()).some(
        (record) => record.key.endsWith(`|${carol.identity}`) && record.state === "connected",
      ),
    );
    const crashed = performance.now();
    await carol.page.context().close(); // no leave, no close(): the page is just gone
    const sent = async () =>
      matrixRequest(stack.synapse.baseUrl, "GET", statePath, {
        accessToken: carol.accessToken,
      }).then(
        (content) => content.left_by === "delegated delayed leave",
        () => false,
      );
    await waitFor("the delayed leave to be sent", sent, 60_000);
    const sentAfterMs = Math.round(performance.now() - crashed);
    log(
      `delegated delayed leave (delay ${delayMs} ms) sent ${sentAfterMs} ms after the page crashed`,
    );
    expect(sentAfterMs).toBeLessThan(delayMs);
    expect((await status(alice)).reports).toEqual([]);
  }, 90_000);

  it("a legacy member whose client used /sfu/get is mapped by its user:device identity", async () => {
    expect(await joinPage(dave)).toBe("sfu_get");
    const daveMember = {
      userId: dave.config.userId,
      deviceId: dave.config.deviceId,
      memberId: dave.config.memberId,
      transports: [{ type: "livekit", livekit_service_url: stack.serviceUrl }],
    };
    await alice.page.evaluate(
      (members) =>
        (
          globalThis as unknown as { mxrtcProof: { updateMembers(m: unknown[]): void } }
        ).mxrtcProof.updateMembers(members),
      [daveMember],
    );
    await waitFor("alice to map dave", async () =>
      (await status(alice)).events.includes(`joined ${dave.config.memberId} ${dave.identity}`),
    );
    await waitFor("both to decode each other", async () => {
      const [a, d] = await Promise.all([status(alice), status(dave)]);
      return (
        a.video.some((entry) => entry.participantId === dave.identity && entry.framesDecoded > 0) &&
        d.video.some((entry) => entry.framesDecoded > 0)
      );
    });
    const a = await status(alice);
    expect(a.participants).toContainEqual({
      participantId: dave.identity,
      memberId: dave.config.memberId,
    });
    expect((await status(dave)).reports).toEqual([]);
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
