import { dispose, Room } from "@livekit/rtc-node";
import { type LivekitHandle, type RedisHandle, startRedis } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { delegationKey } from "../src/delegation-store.js";
import type { LivekitAuthService } from "../src/livekit-auth-service.js";
import { decodeJwtPayload } from "../src/test-support/decode-jwt.js";
import {
  API_KEY,
  API_SECRET,
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
import { type ServiceProcess, spawnServiceProcess } from "./spawn-service-process.js";

const synapse = inject("synapse");
let redis: RedisHandle;
let livekit: LivekitHandle;
let capture: Awaited<ReturnType<typeof startWebhookCapture>>;
let first: ServiceProcess;
let second: { service: LivekitAuthService; url: string };

beforeAll(async () => {
  redis = await startRedis();
  capture = await startWebhookCapture();
  const ports = [await freeLoopbackPort(), await freeLoopbackPort()] as const;
  livekit = await startLivekitFor(ports, capture.url);
  first = await spawnServiceProcess(ports[0], {
    LIVEKIT_URL: livekit.url,
    LIVEKIT_KEY: API_KEY,
    LIVEKIT_SECRET: API_SECRET,
    LIVEKIT_FULL_ACCESS_HOMESERVERS: synapse.serverName,
    LIVEKIT_CS_API_URL_OVERRIDES: `${synapse.serverName}=${synapse.baseUrl}`,
    LIVEKIT_REDIS_URL: redis.url,
    LIVEKIT_DELEGATION_LEASE_SECONDS: "1.5",
    LIVEKIT_LOG_LEVEL: "warn",
  });
  second = await startService(synapse, livekit, ports[1], {
    redisUrl: redis.url,
    leaseMs: 1500,
    instanceId: "second",
  });
});
afterAll(async () => {
  await first?.kill();
  await second?.service.close();
  await livekit?.stop();
  await redis?.stop();
  await capture?.close();
  await dispose();
});

describe("two instances sharing jobs through Redis", () => {
  it("the second instance takes over the job of an owner process killed with SIGKILL and sends the leave when the participant goes", async () => {
    expect(second.service.delegations.kind).toBe("redis");
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
    const firstOwner = (await second.service.delegations.get(key))?.owner;
    expect(firstOwner).toBeTypeOf("string");
    expect(firstOwner).not.toBe("second");

    const participant = new Room();
    await participant.connect(livekit.url, reply.body.jwt as string, {
      autoSubscribe: false,
      dynacast: false,
    });
    const connected = await waitFor("job connected", async () => {
      const record = await second.service.delegations.get(key);
      return record?.state === "connected" && record.restartedTs !== undefined ? record : undefined;
    });
    expect(connected.owner).toBe(firstOwner);
    expect(second.service.manager.localJobs()).toEqual([]);

    const crashTs = Date.now();
    await first.kill();
    const takenOver = await waitFor("takeover by the second instance", async () => {
      const record = await second.service.delegations.get(key);
      return record?.owner === "second" && (record.restartedTs ?? 0) > (connected.restartedTs ?? 0)
        ? record
        : undefined;
    });
    process.stderr.write(
      `[figure] Redis takeover after SIGKILL of the owner process (lease 1.5 s): ${Date.now() - crashTs} ms\n`,
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
