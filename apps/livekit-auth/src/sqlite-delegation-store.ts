import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import {
  canClaim,
  type DelegationBusMessage,
  type DelegationRecord,
  type DelegationStore,
  isActiveState,
  mergeUpdate,
} from "./delegation-store.js";
import { LivekitAuthError } from "./livekit-auth-error.js";

/**
 * Delegation jobs in one SQLite file (better-sqlite3, WAL), for a single instance: after a restart
 * the service resumes every active job it finds there.
 *
 * @remarks Not for several instances: the message bus is in-process. Use
 * {@link createRedisDelegationStore} behind a load balancer.
 * @example
 * ```ts
 * const store = createSqliteDelegationStore({ path: "/var/lib/mxrtc-livekit-auth/delegations.sqlite" });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function createSqliteDelegationStore(options: { path: string }): DelegationStore {
  let database: Database.Database;
  try {
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
    database = new Database(options.path);
    database.pragma("journal_mode = WAL");
    database.exec(
      "CREATE TABLE IF NOT EXISTS delegations (key TEXT PRIMARY KEY, job_id TEXT NOT NULL, active INTEGER NOT NULL, updated_ts INTEGER NOT NULL, record TEXT NOT NULL)",
    );
  } catch (error) {
    throw new LivekitAuthError(
      "store",
      `cannot open delegation database ${options.path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const upsert = database.prepare(
    "INSERT INTO delegations (key, job_id, active, updated_ts, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET job_id = excluded.job_id, active = excluded.active, updated_ts = excluded.updated_ts, record = excluded.record",
  );
  const updateIfSameJob = database.prepare(
    "UPDATE delegations SET active = ?, updated_ts = ?, record = ? WHERE key = ? AND job_id = ?",
  );
  const select = database.prepare("SELECT record FROM delegations WHERE key = ?");
  const selectAll = database.prepare("SELECT record FROM delegations ORDER BY updated_ts");
  const pruneStatement = database.prepare(
    "DELETE FROM delegations WHERE active = 0 AND updated_ts < ?",
  );
  const listeners = new Set<(message: DelegationBusMessage) => void>();
  const read = (key: string) => {
    const row = select.get(key) as { record: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.record) as DelegationRecord);
  };
  const write = (record: DelegationRecord) =>
    upsert.run(
      record.key,
      record.jobId,
      isActiveState(record.state) ? 1 : 0,
      record.updatedTs,
      JSON.stringify(record),
    );
  const updateTransaction = database.transaction((record: DelegationRecord) => {
    const next = mergeUpdate(read(record.key), record);
    if (next === undefined) return false;
    const result = updateIfSameJob.run(
      isActiveState(next.state) ? 1 : 0,
      next.updatedTs,
      JSON.stringify(next),
      next.key,
      next.jobId,
    );
    return result.changes > 0;
  });
  const claimTransaction = database.transaction(
    (key: string, claim: { jobId: string; owner: string; leaseUntil: number; now: number }) => {
      const record = read(key);
      if (!canClaim(record, claim)) return false;
      write({ ...record, owner: claim.owner, leaseUntil: claim.leaseUntil });
      return true;
    },
  );
  return {
    kind: "sqlite",
    shared: false,
    async put(record) {
      write(record);
    },
    async update(record) {
      return updateTransaction(record);
    },
    async get(key) {
      return read(key);
    },
    async list() {
      return (selectAll.all() as { record: string }[]).map(
        (row) => JSON.parse(row.record) as DelegationRecord,
      );
    },
    async claim(key, claim) {
      return claimTransaction(key, claim);
    },
    async prune(beforeTs) {
      pruneStatement.run(beforeTs);
    },
    async publish(message) {
      for (const listener of [...listeners]) listener(message);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (database.open) database.close();
    },
  };
}
