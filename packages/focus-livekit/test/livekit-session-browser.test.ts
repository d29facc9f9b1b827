/**
 * The composed proof: two Chromium processes each run a whole `@mxrtc/session` (its own /sync
 * against the real Synapse, the leave scheduler, `createLivekitFocusPlugin` publishing the fake
 * camera) in one call on a real LiveKit, with the real `@mxrtc/livekit-auth` service. Then one
 * browser process is SIGKILLed and the other sees its membership end through the service's
 * delegated send, long before the killed member's own delayed leave could fire. All on 127.0.0.1.
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProofStack, startProofStack } from "./proof-stack.js";
import {
  createRecordingLogger,
  openSessionParticipant,
  type SessionParticipant,
  sessionConfig,
  sfuNoticedTs,
  waitFor,
} from "./session-harness.js";

const log = (line: string) => process.stderr.write(`[focus-livekit session proof] ${line}\n`);

/** Our own delayed leave: far longer than the proof waits, so only a delegated send ends it. */
const OWN_DELAY_MS = 120_000;

const serviceLog = createRecordingLogger();
let stack: ProofStack;
let alice: SessionParticipant;
let bob: SessionParticipant;
let aliceMemberId: string;
let bobMemberId: string;

beforeAll(async () => {
  stack = await startProofStack(log, {
    pageEntry: "session-page-entry.ts",
    launchBrowser: false,
    serviceLogger: serviceLog,
  });
  const suffix = Date.now().toString(36);
  const owner = await registerUser(stack.synapse, { localpart: `alice-session-${suffix}` });
  const guest = await registerUser(stack.synapse, { localpart: `bob-session-${suffix}` });
  const roomId = await createCallRoom(stack.synapse, owner, { invite: [guest.userId] });
  await joinRoom(stack.synapse, guest, roomId);
  // The session's default member id is `${userId}:${deviceId}`.
  aliceMemberId = `${owner.userId}:${owner.deviceId}`;
  bobMemberId = `${guest.userId}:${guest.deviceId}`;
  [alice, bob] = await Promise.all([
    openSessionParticipant(stack, log),
    openSessionParticipant(stack, log),
  ]);
  await Promise.all([
    alice.join(sessionConfig(stack, owner, roomId, OWN_DELAY_MS)),
    bob.join(sessionConfig(stack, guest, roomId, OWN_DELAY_MS)),
  ]);
}, 240_000);

afterAll(async () => {
  await Promise.all([alice?.close(), bob?.close()]);
  await stack?.stop();
}, 60_000);

describe("two @mxrtc/session members in separate Chromium processes on a real LiveKit", () => {
  it("each lists the other's membership and decodes the other's camera", async () => {
    expect(alice.pid).not.toBe(bob.pid);
    await waitFor("both sessions to decode the other's video and list its membership", async () => {
      const [a, b] = await Promise.all([alice.status(), bob.status()]);
      return (
        a.remoteMembers.includes(bobMemberId) &&
        b.remoteMembers.includes(aliceMemberId) &&
        a.video.some((entry) => entry.framesDecoded > 0) &&
        b.video.some((entry) => entry.framesDecoded > 0)
      );
    });
    const [a, b] = await Promise.all([alice.status(), bob.status()]);
    log(
      `join → first decoded frame: alice ${(a.firstFrameTs ?? 0) - (a.joinStartedTs ?? 0)} ms, bob ${(b.firstFrameTs ?? 0) - (b.joinStartedTs ?? 0)} ms`,
    );
    expect([a.joinState, b.joinState]).toEqual(["joined", "joined"]);
    expect(a.remoteMembers).toEqual([bobMemberId]);
    expect(b.remoteMembers).toEqual([aliceMemberId]);
    // The LiveKit participant of each is mapped back to the other's Matrix membership.
    expect(a.participants).toEqual([{ participantId: b.identity, memberId: bobMemberId }]);
    expect(b.participants).toEqual([{ participantId: a.identity, memberId: aliceMemberId }]);
    expect(a.video).toEqual([expect.objectContaining({ participantId: b.identity })]);
    expect(b.video).toEqual([expect.objectContaining({ participantId: a.identity })]);
    expect(a.video[0]?.frameWidth).toBeGreaterThan(0);
    expect([a.errors, b.errors]).toEqual([[], []]);
  }, 60_000);

  it("a SIGKILLed browser's membership ends for the other through the service's delegated send", async () => {
    const before = await bob.status();
    const identity = before.identity;
    expect(identity).toBeDefined();
    expect(before.delayId).toBeDefined();
    // The session delegated bob's current delayed leave, and the service saw bob connect.
    await waitFor("the service to watch bob's delegated delayed leave", async () =>
      (await stack.delegations.list()).some(
        (record) =>
          record.key.endsWith(`|${identity}`) &&
          record.delayId === before.delayId &&
          record.state === "connected",
      ),
    );
    const delayId = (await bob.status()).delayId;
    expect(delayId).toBe(before.delayId);

    const killedTs = Date.now();
    bob.kill();
    await waitFor(
      "alice's session to drop bob's membership",
      async () => (await alice.status()).membershipGoneTs[bobMemberId] !== undefined,
      60_000,
    );
    const a = await alice.status();
    const goneTs = a.membershipGoneTs[bobMemberId] ?? Number.NaN;
    const record = (await stack.delegations.list()).find(
      (entry) => entry.key.endsWith(`|${identity}`) && entry.delayId === delayId,
    );
    const noticedTs = sfuNoticedTs(serviceLog.entries, identity ?? "", killedTs);
    const figures = {
      killToSfuNoticedMs: (noticedTs ?? Number.NaN) - killedTs,
      sfuNoticedToSentMs: (record?.sentTs ?? Number.NaN) - (noticedTs ?? Number.NaN),
      sfuNoticedToMembershipGoneMs: goneTs - (noticedTs ?? Number.NaN),
      killToMembershipGoneMs: goneTs - killedTs,
      outcome: record?.outcome,
    };
    log(`SIGKILL → membership gone: ${JSON.stringify(figures)}`);

    // The service sent exactly this delay id's leave, because LiveKit said bob left.
    expect(record).toMatchObject({ state: "disconnected", delayId });
    expect(record?.outcome).toMatch(/^sent \(participant_(left|connection_aborted)/);
    expect(noticedTs).toBeDefined();
    // Bob's own delayed leave fires 120 s after its last restart, and the service restarted it
    // when it saw bob connect, seconds before the kill: a membership gone within 60 s of the
    // kill was the delegated send. (LiveKit itself takes ~20 s to time a killed browser out.)
    expect(figures.killToMembershipGoneMs).toBeLessThan(OWN_DELAY_MS / 2);
    expect(a.remoteMembers).toEqual([]);
    expect(a.joinState).toBe("joined");
    expect(a.errors).toEqual([]);
  }, 90_000);
});
