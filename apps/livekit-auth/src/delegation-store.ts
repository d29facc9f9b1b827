/**
 * Job states (specs §3.5): `waiting-for-initial-connect` → `connected` → `disconnected` (the
 * delayed leave was sent) or `aborted` (given up without sending).
 *
 * @example
 * ```ts
 * const done = record.state === "disconnected" || record.state === "aborted";
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export type DelegationState =
  | "waiting-for-initial-connect"
  | "connected"
  | "disconnected"
  | "aborted";

/**
 * One delegated delayed leave, as stored. `key` = `${roomAlias}|${identity}`: one job per participant.
 *
 * @example
 * ```ts
 * const record = await service.delegations.get(delegationKey(alias, identity));
 * if (record?.state === "disconnected") console.log("leave sent at", record.sentTs);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface DelegationRecord {
  readonly key: string;
  /** Random id of this delegation; a new `delay_id` for the same key gets a new job id. */
  readonly jobId: string;
  readonly roomAlias: string;
  readonly identity: string;
  readonly delayId: string;
  readonly delayTimeoutMs: number;
  /** Homeserver base URL the restart/send calls go to. */
  readonly homeserverUrl: string;
  readonly state: DelegationState;
  readonly createdTs: number;
  readonly updatedTs: number;
  readonly connectedTs?: number;
  /** Last successful `restart`. */
  readonly restartedTs?: number;
  /** When the delayed leave was sent (`disconnected` only). */
  readonly sentTs?: number;
  /** `disconnected`: `"sent"` or `"send-failed"`; `aborted`: why. */
  readonly outcome?: string;
  /** Instance that runs the job, and until when it holds it. */
  readonly owner?: string;
  readonly leaseUntil?: number;
}

/**
 * What one instance tells the others (webhooks may reach any instance behind a load balancer).
 *
 * @example
 * ```ts
 * await store.publish({ type: "participant-event", key, event: "participant_left" });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export type DelegationBusMessage =
  | {
      readonly type: "participant-event";
      readonly key: string;
      readonly event: ParticipantEventName;
      readonly disconnectReason?: string;
    }
  | { readonly type: "replaced"; readonly key: string; readonly jobId: string };

/**
 * LiveKit webhook events a job reacts to.
 *
 * @example
 * ```ts
 * const event: ParticipantEventName = "participant_connection_aborted";
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export type ParticipantEventName =
  | "participant_joined"
  | "participant_left"
  | "participant_connection_aborted";

/**
 * Where delegation jobs live so they survive a restart (SQLite) or move between instances (Redis).
 *
 * @remarks `claim` is the only ownership primitive: it succeeds when the stored job has the given
 * `jobId`, is still active, and is unowned, owned by `owner`, or its lease ran out before `now`.
 * `update` writes only when the stored `jobId` and `owner` match (a newer delegation, or an
 * instance that took the job over, wins) and keeps the stored lease (see {@link mergeUpdate}).
 * @example
 * ```ts
 * const store = createMemoryDelegationStore();
 * await store.put(record);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface DelegationStore {
  readonly kind: string;
  /** Several instances share it (leases matter). */
  readonly shared: boolean;
  put(record: DelegationRecord): Promise<void>;
  update(record: DelegationRecord): Promise<boolean>;
  get(key: string): Promise<DelegationRecord | undefined>;
  list(): Promise<readonly DelegationRecord[]>;
  claim(
    key: string,
    claim: { jobId: string; owner: string; leaseUntil: number; now: number },
  ): Promise<boolean>;
  /** Deletes finished jobs last updated before `beforeTs`. */
  prune(beforeTs: number): Promise<void>;
  publish(message: DelegationBusMessage): Promise<void>;
  subscribe(listener: (message: DelegationBusMessage) => void): () => void;
  close(): Promise<void>;
}

/**
 * The `update` rule shared by every store: the record to write, or undefined when the stored job
 * is another delegation or now owned by another instance. The stored `leaseUntil` is kept, so a
 * state change never shortens a lease renewed meanwhile.
 */
export function mergeUpdate(
  current: DelegationRecord | undefined,
  record: DelegationRecord,
): DelegationRecord | undefined {
  if (current === undefined || current.jobId !== record.jobId || current.owner !== record.owner) {
    return undefined;
  }
  const { leaseUntil: _ignored, ...rest } = record;
  return current.leaseUntil === undefined ? rest : { ...rest, leaseUntil: current.leaseUntil };
}

/** True for `waiting-for-initial-connect` and `connected`. */
export function isActiveState(state: DelegationState): boolean {
  return state === "waiting-for-initial-connect" || state === "connected";
}

/**
 * The job key of a participant: `${roomAlias}|${identity}`.
 *
 * @example
 * ```ts
 * delegationKey("O8437W3+jmzMVjoIP3tNwbm+XxHQk2iKpOA7aqw3qSc", "@alice:example.com:DEVICE"); // "O843…|@alice:example.com:DEVICE"
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function delegationKey(roomAlias: string, identity: string): string {
  return `${roomAlias}|${identity}`;
}

/** The `claim` rule shared by every store. */
export function canClaim(
  record: DelegationRecord | undefined,
  claim: { jobId: string; owner: string; now: number },
): record is DelegationRecord {
  return (
    record !== undefined &&
    record.jobId === claim.jobId &&
    isActiveState(record.state) &&
    (record.owner === undefined ||
      record.owner === claim.owner ||
      (record.leaseUntil ?? 0) < claim.now)
  );
}

/**
 * A store in memory, for one instance that needs no persistence (tests, `LIVEKIT_DELEGATION_DB=:memory:`).
 *
 * @example
 * ```ts
 * const service = createLivekitAuthService({ ...config, delegationStore: createMemoryDelegationStore() });
 * ```
 */
export function createMemoryDelegationStore(): DelegationStore {
  const records = new Map<string, DelegationRecord>();
  const listeners = new Set<(message: DelegationBusMessage) => void>();
  return {
    kind: "memory",
    shared: false,
    async put(record) {
      records.set(record.key, record);
    },
    async update(record) {
      const next = mergeUpdate(records.get(record.key), record);
      if (next === undefined) return false;
      records.set(record.key, next);
      return true;
    },
    async get(key) {
      return records.get(key);
    },
    async list() {
      return [...records.values()];
    },
    async claim(key, claim) {
      const record = records.get(key);
      if (!canClaim(record, claim)) return false;
      records.set(key, { ...record, owner: claim.owner, leaseUntil: claim.leaseUntil });
      return true;
    },
    async prune(beforeTs) {
      for (const [key, record] of records) {
        if (!isActiveState(record.state) && record.updatedTs < beforeTs) records.delete(key);
      }
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
    },
  };
}
