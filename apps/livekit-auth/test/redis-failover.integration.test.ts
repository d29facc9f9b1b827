import { dispose, Room } from "@livekit/rtc-node";
import { type LivekitHandle, type RedisHandle, startRedis } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { delegationKey } from "../src/delegation-store.js";
import type { LivekitAuthService } from "../src/livekit-auth-service.js";
import { decodeJwtPayload } from "../src/test-support/decode-jwt.js";
import {
  freeLoopbackPort,
  joinWithDelayedLeave,
  membershipContent,
  newUser,
  postJson,
  startLivekitFor,
  startService,
  startWebhookCapture,
  waitFor,
} from "./integration-harness.js";

const synapse = inject("synapse");
let redis: RedisHandle;
let livekit: LivekitHandle;
let capture: Awaited<ReturnType<typeof startWebhookCapture>>;
let first: { service: LivekitAuthService; url: string };
let second: { service: LivekitAuthService; url: string };

beforeAll(async () => {
  redis = await startRedis();
  capture = await startWebhookCapture();
  const ports = [await freeLoopbackPort(), await freeLoopbackPort()] as const;
  livekit = await startLivekitFor(ports, capture.url);
  const shared = { redisUrl: redis.url, leaseMs: 1500 };
  first = await startService(synapse, livekit, ports[0], { ...shared, instanceId: "first" });
  second = await startService(synapse, livekit, ports[1], { ...shared, instanceId: "second" });
});
afterAll(async () => {
  await first?.service.close();
  await second?.service.close();
  await livekit?.stop();
  await redis?.stop();
  await capture?.close();
  await dispose();
});

describe("two instances sharing jobs through Redis", () => {
  it("the second instance takes over a crashed owner's job and sends the leave when the participant goes", async () => {
    expect(first.service.delegations.kind).toBe("redis");
    const alice = await newUser(synapse);
    const { roomId, stateKey, delayId } = await joinWithDelayedLeave(synapse, alice, first.url);
    const token = await alice.matrix.requestOpenIdToken();
    const reply = await postJson(`${first.url}/get_token`, {
      room_id: roomId,
      slot_id: "m.call#ROOM",
      openid_token: token,
      member: { id: "member-1", claimed_user_id: alice.userId, claimed_device_id: alice.deviceId },
      delay_id: delayId,
      delay_timeout: 3_600_000,
    });
    expect(reply.status).toBe(200);
    const claims = decodeJwtPayload(reply.body.jwt as string);
    const key = delegationKey((claims.video as { room: string }).room, claims.sub as string);
    expect((await second.service.delegations.get(key))?.owner).toBe("first");

    const participant = new Room();
    await participant.connect(livekit.url, reply.body.jwt as string, {
      autoSubscribe: false,
      dynacast: false,
    });
    const connected = await waitFor("job connected", async () => {
      const record = await second.service.delegations.get(key);
      return record?.state === "connected" && record.restartedTs !== undefined ? record : undefined;
    });
    expect(first.service.manager.localJobs()).toEqual([key]);
    expect(second.service.manager.localJobs()).toEqual([]);

    const crashTs = Date.now();
    await first.service.close({ release: false });
    const takenOver = await waitFor("takeover by the second instance", async () => {
      const record = await second.service.delegations.get(key);
      return record?.owner === "second" && (record.restartedTs ?? 0) > (connected.restartedTs ?? 0)
        ? record
        : undefined;
    });
    process.stderr.write(
      `[figure] Redis takeover after owner crash (lease 1.5 s): ${Date.now() - crashTs} ms\n`,
    );
    expect(takenOver.state).toBe("connected");
    expect(second.service.manager.localJobs()).toEqual([key]);

    await participant.disconnect();
    await waitFor("membership emptied", async () =>
      Object.keys(await membershipContent(alice, roomId, stateKey)).length === 0 ? true : undefined,
    );
    const record = await waitFor("job recorded as sent", async () => {
      const stored = await second.service.delegations.get(key);
      return stored?.state === "disconnected" ? stored : undefined;
    });
    expect(record.outcome).toMatch(/^sent \((participant_left|sanity-check-missed)/);
    expect(record.owner).toBe("second");
  });
});
