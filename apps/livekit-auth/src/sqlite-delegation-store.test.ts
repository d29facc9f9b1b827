import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DelegationRecord } from "./delegation-store.js";
import { createSqliteDelegationStore } from "./sqlite-delegation-store.js";

const record: DelegationRecord = {
  key: "alias|identity",
  jobId: "job1",
  roomAlias: "alias",
  identity: "identity",
  delayId: "syd_1",
  delayTimeoutMs: 3_600_000,
  homeserverUrl: "http://127.0.0.1:8008",
  state: "connected",
  createdTs: 1,
  updatedTs: 1,
  owner: "a",
  leaseUntil: 100,
};

describe("createSqliteDelegationStore", () => {
  it("keeps jobs in the file across reopening", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "livekit-auth-sqlite-")), "nested", "jobs.sqlite");
    const first = createSqliteDelegationStore({ path });
    await first.put(record);
    await first.close();
    const second = createSqliteDelegationStore({ path });
    expect(await second.get(record.key)).toEqual(record);
    expect(await second.list()).toEqual([record]);
    await second.close();
  });

  it("updates only the same job, claims by the lease rule, prunes finished jobs", async () => {
    const store = createSqliteDelegationStore({ path: ":memory:" });
    await store.put(record);
    expect(await store.update({ ...record, jobId: "other", state: "aborted" })).toBe(false);
    expect(
      await store.claim(record.key, { jobId: "job1", owner: "b", leaseUntil: 200, now: 50 }),
    ).toBe(false);
    expect(
      await store.claim(record.key, { jobId: "job1", owner: "b", leaseUntil: 200, now: 150 }),
    ).toBe(true);
    expect((await store.get(record.key))?.owner).toBe("b");
    expect(
      await store.claim(record.key, { jobId: "job2", owner: "b", leaseUntil: 200, now: 150 }),
    ).toBe(false);
    expect(await store.update({ ...record, state: "aborted" })).toBe(false); // "a" lost the job to "b"
    const beforeUpdate = (await store.get(record.key))?.leaseUntil;
    expect(
      await store.update({
        ...record,
        owner: "b",
        leaseUntil: 1,
        state: "disconnected",
        updatedTs: 5,
      }),
    ).toBe(true);
    expect((await store.get(record.key))?.leaseUntil).toBe(beforeUpdate); // the stored lease is kept
    await store.prune(10);
    expect(await store.list()).toEqual([]);
    await store.close();
  });

  it("names the file in the error when it cannot be opened", () => {
    const file = join(mkdtempSync(join(tmpdir(), "livekit-auth-sqlite-")), "plain-file");
    writeFileSync(file, "");
    expect(() => createSqliteDelegationStore({ path: join(file, "jobs.sqlite") })).toThrow(
      /plain-file\/jobs.sqlite/,
    );
  });
});
