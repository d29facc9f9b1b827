import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "./clock.js";
import type { DelayedEventActionResult, DelayedEventActions } from "./delayed-event-actions.js";
import { createDelegationManager, type DelegationManager } from "./delegation-manager.js";
import {
  createMemoryDelegationStore,
  type DelegationRecord,
  type DelegationStore,
  delegationKey,
} from "./delegation-store.js";
import { silentLogger } from "./logger.js";
import { createFakeLivekitApi, type FakeLivekitApi } from "./test-support/fake-livekit-api.js";

const ROOM = "alias";
const WHO = "identity";
const KEY = delegationKey(ROOM, WHO);

interface FakeActions extends DelayedEventActions {
  calls: string[];
  restartResults: DelayedEventActionResult[];
  sendResults: DelayedEventActionResult[];
}

function fakeActions(): FakeActions {
  const actions: FakeActions = {
    calls: [],
    restartResults: [],
    sendResults: [],
    async restart(_url, delayId) {
      actions.calls.push(`restart:${delayId}@${Date.now()}`);
      return actions.restartResults.shift() ?? { kind: "ok" };
    },
    async send(_url, delayId) {
      actions.calls.push(`send:${delayId}@${Date.now()}`);
      return actions.sendResults.shift() ?? { kind: "ok" };
    },
  };
  return actions;
}

let store: DelegationStore;
let livekit: FakeLivekitApi;
let actions: FakeActions;
let manager: DelegationManager;

function newManager(instanceId = "a") {
  return createDelegationManager({
    store,
    livekit,
    actions,
    clock: systemClock,
    logger: silentLogger,
    instanceId,
    timing: { pollMinMs: 1000, pollMaxMs: 60_000, sanityCheckIntervalMs: 30_000, leaseMs: 15_000 },
  });
}

async function delegate(delayTimeoutMs = 10_000, delayId = "d1") {
  await manager.delegate({
    roomAlias: ROOM,
    identity: WHO,
    delayId,
    delayTimeoutMs,
    homeserverUrl: "https://hs",
  });
}

async function advance(ms: number) {
  await vi.advanceTimersByTimeAsync(ms);
  await manager.idle();
}

async function state() {
  return (await store.get(KEY))?.state;
}

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 1_000_000 });
  store = createMemoryDelegationStore();
  livekit = createFakeLivekitApi();
  actions = fakeActions();
  manager = newManager();
  await manager.start();
});
afterEach(async () => {
  await manager.close();
  vi.useRealTimers();
});

describe("waiting-for-initial-connect", () => {
  it("goes connected on participant_joined, restarts at once and again at 80 % of delay_timeout", async () => {
    await delegate(10_000);
    expect(await state()).toBe("waiting-for-initial-connect");
    await manager.participantEvent({ event: "participant_joined", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    expect(await state()).toBe("connected");
    expect(actions.calls).toEqual(["restart:d1@1000000"]);
    await advance(8_000);
    expect(actions.calls).toEqual(["restart:d1@1000000", "restart:d1@1008000"]);
    await advance(8_000);
    expect(actions.calls).toHaveLength(3);
  });

  it("goes connected when a poll finds the participant, polling at once then 1 s, 2 s, 4 s …", async () => {
    await delegate(3_600_000);
    await advance(0);
    expect(livekit.polls).toBe(1);
    await advance(1_000);
    expect(livekit.polls).toBe(2);
    await advance(2_000);
    expect(livekit.polls).toBe(3);
    await advance(4_000);
    expect(livekit.polls).toBe(4);
    livekit.present.add(KEY);
    await advance(8_000);
    expect(await state()).toBe("connected");
    expect(actions.calls).toEqual(["restart:d1@1015000"]);
  });

  it("goes aborted without sending on participant_connection_aborted", async () => {
    await delegate();
    await manager.participantEvent({
      event: "participant_connection_aborted",
      roomAlias: ROOM,
      identity: WHO,
    });
    await manager.idle();
    expect(await store.get(KEY)).toMatchObject({
      state: "aborted",
      outcome: "connection-aborted-before-connect",
    });
    expect(actions.calls).toEqual([]);
    expect(manager.localJobs()).toEqual([]);
  });

  it("a participant already in the room when the job starts is found by the first poll, at once", async () => {
    livekit.present.add(KEY);
    await delegate(3_600_000);
    await advance(0);
    expect(await state()).toBe("connected");
    expect(livekit.polls).toBe(1);
  });

  it("ignores participant_left before the first connect", async () => {
    await delegate();
    await manager.participantEvent({ event: "participant_left", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    expect(await state()).toBe("waiting-for-initial-connect");
  });

  it("sends the leave when nobody connected within delay_timeout", async () => {
    await delegate(5_000);
    await advance(4_999);
    expect(actions.calls).toEqual([]);
    await advance(1);
    expect(actions.calls).toEqual(["send:d1@1005000"]);
    expect(await store.get(KEY)).toMatchObject({
      state: "disconnected",
      outcome: "sent (initial-connect-timeout)",
      sentTs: 1_005_000,
    });
  });

  it("waits at most one hour for the initial connect", async () => {
    await delegate(7_200_000);
    await advance(3_600_000);
    expect(actions.calls.at(-1)).toBe("send:d1@4600000");
  });
});

describe("connected", () => {
  beforeEach(async () => {
    await delegate(10_000);
    await manager.participantEvent({ event: "participant_joined", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    actions.calls.length = 0;
  });

  it.each(["participant_left", "participant_connection_aborted"] as const)(
    "sends the leave at once on %s",
    async (event) => {
      await manager.participantEvent({ event, roomAlias: ROOM, identity: WHO });
      await manager.idle();
      expect(actions.calls).toEqual(["send:d1@1000000"]);
      expect(await state()).toBe("disconnected");
      await advance(60_000);
      expect(actions.calls).toHaveLength(1);
    },
  );

  it.each(["DUPLICATE_IDENTITY", "MIGRATION"])(
    "keeps the job when the session left with %s (same identity still there)",
    async (reason) => {
      await manager.participantEvent({
        event: "participant_left",
        roomAlias: ROOM,
        identity: WHO,
        disconnectReason: reason,
      });
      await manager.idle();
      expect(actions.calls).toEqual([]);
      expect(await state()).toBe("connected");
    },
  );

  it("sends the leave when the sanity check misses the participant", async () => {
    livekit.present.add(KEY);
    await advance(30_000);
    expect(actions.calls.filter((call) => call.startsWith("send"))).toEqual([]);
    livekit.present.delete(KEY);
    await advance(30_000);
    expect(await store.get(KEY)).toMatchObject({
      state: "disconnected",
      outcome: "sent (sanity-check-missed)",
    });
  });

  it("keeps the job when LiveKit cannot be asked", async () => {
    livekit.failing = true;
    await advance(30_000);
    expect(await state()).toBe("connected");
  });

  it("counts a 404 on send as sent", async () => {
    actions.sendResults.push({ kind: "not-found" });
    await manager.participantEvent({ event: "participant_left", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    expect((await store.get(KEY))?.outcome).toBe("sent (participant_left)");
  });

  it("records a failed send", async () => {
    actions.sendResults.push({ kind: "failed", status: 403, message: "M_FORBIDDEN" });
    await manager.participantEvent({ event: "participant_left", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    expect(await store.get(KEY)).toMatchObject({
      state: "disconnected",
      outcome: "send-failed (participant_left): M_FORBIDDEN",
    });
  });

  it("aborts without sending when restart answers 404", async () => {
    actions.restartResults.push({ kind: "not-found" });
    await advance(8_000);
    expect(await store.get(KEY)).toMatchObject({
      state: "aborted",
      outcome: "delayed-event-not-found",
    });
    expect(actions.calls.filter((call) => call.startsWith("send"))).toEqual([]);
  });

  it("retries failed restarts and aborts once a whole delay_timeout passed without one", async () => {
    for (let index = 0; index < 20; index++)
      actions.restartResults.push({ kind: "failed", status: 502, message: "bad gateway" });
    await advance(8_000);
    expect(await state()).toBe("connected");
    await advance(2_000);
    expect((await store.get(KEY))?.outcome).toMatch(/^restart-timeout/);
    expect(actions.calls.filter((call) => call.startsWith("send"))).toEqual([]);
  });
});

describe("replacement and restarts", () => {
  it("a new delay_id for the same participant replaces the job", async () => {
    await delegate(10_000, "old");
    await delegate(10_000, "new");
    await manager.participantEvent({ event: "participant_joined", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    expect(actions.calls).toEqual(["restart:new@1000000"]);
    expect(manager.localJobs()).toEqual([KEY]);
  });

  it("resumes a stored connected job after a restart: restarts if the participant is there", async () => {
    await delegate(10_000);
    await manager.participantEvent({ event: "participant_joined", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    await manager.close({ release: false });
    actions.calls.length = 0;
    livekit.present.add(KEY);
    manager = newManager("b");
    await manager.start();
    await manager.idle();
    expect(actions.calls).toEqual(["restart:d1@1000000"]);
    expect((await store.get(KEY))?.owner).toBe("b");
  });

  it("resumes a stored connected job after a restart: sends if the participant left meanwhile", async () => {
    await delegate(10_000);
    await manager.participantEvent({ event: "participant_joined", roomAlias: ROOM, identity: WHO });
    await manager.idle();
    await manager.close({ release: false });
    actions.calls.length = 0;
    manager = newManager("b");
    await manager.start();
    await manager.idle();
    expect(actions.calls).toEqual(["send:d1@1000000"]);
    expect((await store.get(KEY))?.outcome).toBe("sent (gone-while-unowned)");
  });

  it("does not resume finished jobs", async () => {
    const finished: DelegationRecord = {
      key: "x|y",
      jobId: "j",
      roomAlias: "x",
      identity: "y",
      delayId: "d",
      delayTimeoutMs: 1000,
      homeserverUrl: "https://hs",
      state: "disconnected",
      createdTs: 0,
      updatedTs: 0,
    };
    await store.put(finished);
    await manager.close();
    manager = newManager("c");
    await manager.start();
    expect(manager.localJobs()).toEqual([]);
  });
});
