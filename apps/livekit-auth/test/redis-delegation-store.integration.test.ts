import { type RedisHandle, startRedis } from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import type { DelayedEventActions } from "../src/delayed-event-actions.js";
import { createDelegationManager } from "../src/delegation-manager.js";
import type { DelegationBusMessage, DelegationRecord } from "../src/delegation-store.js";
import { silentLogger } from "../src/logger.js";
import { createRedisDelegationStore } from "../src/redis-delegation-store.js";
import { createFakeLivekitApi } from "../src/test-support/fake-livekit-api.js";
import { waitFor } from "./integration-harness.js";

let redis: RedisHandle;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const record: DelegationRecord = {
  key: "alias|identity",
  jobId: "job1",
  roomAlias: "alias",
  identity: "identity",
  delayId: "syd_1",
  delayTimeoutMs: 3_600_000,
  homeserverUrl: "http://127.0.0.1:8008",
  state: "connected",
  createdTs: 1_764_000_000_000,
  updatedTs: 1_764_000_000_000,
  owner: "a",
  leaseUntil: 1_764_000_010_000,
};

describe("createRedisDelegationStore (real redis-server)", () => {
  it("shares records between connections; update and claim are atomic and follow the lease rule", async () => {
    const prefix = `test-${Date.now()}:`;
    const one = createRedisDelegationStore({ url: redis.url, prefix });
    const two = createRedisDelegationStore({ url: redis.url, prefix });
    await one.put(record);
    expect(await two.get(record.key)).toEqual(record);
    expect(await two.list()).toEqual([record]);
    expect(await two.update({ ...record, jobId: "other", state: "aborted" })).toBe(false);
    const claim = { jobId: "job1", owner: "b", leaseUntil: 1_764_000_020_000 };
    expect(await two.claim(record.key, { ...claim, now: 1_764_000_005_000 })).toBe(false);
    expect(await two.claim(record.key, { ...claim, now: 1_764_000_010_001 })).toBe(true);
    expect(await one.get(record.key)).toEqual({
      ...record,
      owner: "b",
      leaseUntil: 1_764_000_020_000,
    });
    expect(
      await one.claim(record.key, {
        jobId: "job1",
        owner: "a",
        leaseUntil: 1,
        now: 1_764_000_010_002,
      }),
    ).toBe(false);
    expect(await one.update({ ...record, state: "aborted" })).toBe(false); // "a" lost the job to "b"
    const beforeUpdate = (await one.get(record.key))?.leaseUntil;
    expect(
      await one.update({
        ...record,
        owner: "b",
        leaseUntil: 1,
        state: "disconnected",
        updatedTs: 5,
      }),
    ).toBe(true);
    expect((await one.get(record.key))?.leaseUntil).toBe(beforeUpdate); // the stored lease is kept
    await two.prune(10);
    expect(await one.list()).toEqual([]);
    await one.close();
    await two.close();
  });

  it("passes bus messages between instances", async () => {
    const prefix = `bus-${Date.now()}:`;
    const one = createRedisDelegationStore({ url: redis.url, prefix });
    const two = createRedisDelegationStore({ url: redis.url, prefix });
    const received: DelegationBusMessage[] = [];
    two.subscribe((message) => received.push(message));
    const message: DelegationBusMessage = {
      type: "participant-event",
      key: "k",
      event: "participant_left",
    };
    await waitFor(
      "delivery",
      async () => {
        await one.publish(message);
        return received.length > 0 ? true : undefined;
      },
      5_000,
      100,
    );
    expect(received[0]).toEqual(message);
    await one.close();
    await two.close();
  });

  it("a webhook that reaches a non-owner instance is handled by the owner", async () => {
    const prefix = `forward-${Date.now()}:`;
    const sends: string[] = [];
    const actions: DelayedEventActions = {
      restart: async () => ({ kind: "ok" }),
      send: async (_url, delayId) => {
        sends.push(delayId);
        return { kind: "ok" };
      },
    };
    const make = (instanceId: string) =>
      createDelegationManager({
        store: createRedisDelegationStore({ url: redis.url, prefix }),
        livekit: createFakeLivekitApi(),
        actions,
        clock: systemClock,
        logger: silentLogger,
        instanceId,
        timing: { sanityCheckIntervalMs: 0, leaseMs: 3000 },
      });
    const owner = make("owner");
    const other = make("other");
    await owner.start();
    await other.start();
    await owner.delegate({
      roomAlias: "r",
      identity: "p",
      delayId: "syd_fwd",
      delayTimeoutMs: 3_600_000,
      homeserverUrl: "http://hs",
    });
    await other.participantEvent({ event: "participant_joined", roomAlias: "r", identity: "p" });
    await waitFor("connected", async () => (owner.localJobs().length === 1 ? true : undefined));
    await other.participantEvent({ event: "participant_left", roomAlias: "r", identity: "p" });
    await waitFor("sent by the owner", async () => (sends.length > 0 ? true : undefined), 5_000);
    expect(sends).toEqual(["syd_fwd"]);
    expect(other.localJobs()).toEqual([]);
    await owner.close();
    await other.close();
  });
});
