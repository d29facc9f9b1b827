import { randomUUID } from "node:crypto";
import type { Clock } from "./clock.js";
import type { DelayedEventActions } from "./delayed-event-actions.js";
import {
  type DelegationBusMessage,
  type DelegationRecord,
  type DelegationState,
  type DelegationStore,
  delegationKey,
  isActiveState,
  type ParticipantEventName,
} from "./delegation-store.js";
import type { DelegationInput, DelegationTiming } from "./delegation-timing.js";
import type { LivekitApiPort } from "./livekit-api.js";
import type { Logger } from "./logger.js";
import { webhookJobAction } from "./webhook-job-action.js";

/**
 * Runs delegated delayed leaves: one job per (room alias, identity) following lk-jwt-service's
 * state machine (specs §3.5).
 *
 * @remarks `waiting-for-initial-connect` → `connected` on `participant_joined` or a poll that finds
 * the participant; → `aborted` on `participant_connection_aborted`; → `disconnected` (send) when
 * nobody connected within `min(maxInitialWaitMs, delay_timeout)`. `connected`: `restart` at once,
 * then at `restartFraction` × `delay_timeout`; `participant_left`, `participant_connection_aborted`
 * or a sanity poll that misses the participant → `disconnected` (send; 404 counts as sent); a
 * `restart` 404, or no successful restart for a whole `delay_timeout` → `aborted`.
 * @example
 * ```ts
 * const manager = createDelegationManager({ store, livekit, actions, clock, logger, instanceId: "a" });
 * await manager.start();
 * await manager.delegate({ roomAlias, identity, delayId, delayTimeoutMs: 3_600_000, homeserverUrl });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface DelegationManager {
  delegate(input: DelegationInput): Promise<DelegationRecord>;
  /** A LiveKit webhook about a participant: passed to the job's owner (any instance). */
  participantEvent(input: {
    event: ParticipantEventName;
    roomAlias: string;
    identity: string;
    disconnectReason?: string;
  }): Promise<void>;
  /** Resumes stored jobs and starts the ownership loop. */
  start(): Promise<void>;
  /** Stops every timer. `release` (default true) hands this instance's jobs to others at once. */
  close(options?: { release?: boolean }): Promise<void>;
  /** Jobs this instance runs now (keys). */
  localJobs(): readonly string[];
  /** Resolves when no job transition is in flight (tests). */
  idle(): Promise<void>;
}

interface LocalJob {
  record: DelegationRecord;
  readonly timers: Set<unknown>;
  queue: Promise<void>;
  stopped: boolean;
  pollAttempt: number;
}

/** Creates a {@link DelegationManager}. */
export function createDelegationManager(options: {
  store: DelegationStore;
  livekit: LivekitApiPort;
  actions: DelayedEventActions;
  clock: Clock;
  logger: Logger;
  instanceId?: string;
  timing?: DelegationTiming;
}): DelegationManager {
  const { store, livekit, actions, clock, logger } = options;
  const instanceId = options.instanceId ?? randomUUID();
  const timing = options.timing ?? {};
  const pollMinMs = timing.pollMinMs ?? 1000;
  const pollMaxMs = timing.pollMaxMs ?? 60_000;
  const maxInitialWaitMs = timing.maxInitialWaitMs ?? 3_600_000;
  const restartFraction = timing.restartFraction ?? 0.8;
  const sanityMs = timing.sanityCheckIntervalMs ?? 60_000;
  const leaseMs = timing.leaseMs ?? 15_000;
  const retainMs = timing.retainFinishedMs ?? 86_400_000;
  const jobs = new Map<string, LocalJob>();
  let leaseTimer: unknown;
  let unsubscribe: (() => void) | undefined;
  let closed = false;
  let ticks = 0;

  const later = (job: LocalJob, ms: number, step: () => Promise<void>) => {
    const handle = clock.setTimeout(
      () => {
        job.timers.delete(handle);
        enqueue(job, step);
      },
      Math.max(0, ms),
    );
    job.timers.add(handle);
  };
  const clearTimers = (job: LocalJob) => {
    for (const handle of job.timers) clock.clearTimeout(handle);
    job.timers.clear();
  };
  const enqueue = (job: LocalJob, step: () => Promise<void>) => {
    job.queue = job.queue.then(async () => {
      if (job.stopped) return;
      try {
        await step();
      } catch (error) {
        logger.error("delegation step failed", { key: job.record.key, error });
      }
    });
  };
  const drop = (job: LocalJob) => {
    job.stopped = true;
    clearTimers(job);
    if (jobs.get(job.record.key) === job) jobs.delete(job.record.key);
  };
  /** Writes the job's new state; false (and the job stops) if a newer delegation replaced it. */
  const save = async (
    job: LocalJob,
    changes: Partial<DelegationRecord> & { state?: DelegationState },
  ) => {
    const next: DelegationRecord = { ...job.record, ...changes, updatedTs: clock.now() };
    if (!(await store.update(next))) {
      logger.info("delegation replaced elsewhere; dropping", { key: job.record.key });
      drop(job);
      return false;
    }
    job.record = next;
    return true;
  };

  const scheduleWaiting = (job: LocalJob) => {
    const deadline = job.record.createdTs + Math.min(maxInitialWaitMs, job.record.delayTimeoutMs);
    later(job, deadline - clock.now(), () => disconnect(job, "initial-connect-timeout"));
    const poll = async () => {
      if (job.record.state !== "waiting-for-initial-connect") return;
      let present = false;
      try {
        present = await livekit.hasParticipant(job.record.roomAlias, job.record.identity);
      } catch (error) {
        logger.debug("participant poll failed", { key: job.record.key, error });
      }
      if (present) return connect(job, "poll");
      const waitMs = Math.min(pollMaxMs, pollMinMs * 2 ** job.pollAttempt);
      job.pollAttempt += 1;
      later(job, waitMs, poll);
    };
    // Ask LiveKit at once: a client that delegates after connecting (as @mxrtc/session does) has
    // already sent its participant_joined webhook, and a participant_left that came before the job
    // knew it was connected would otherwise be ignored until the first backed-off poll.
    later(job, 0, poll);
  };
  const connect = async (job: LocalJob, via: string) => {
    if (job.record.state !== "waiting-for-initial-connect") return;
    clearTimers(job);
    if (!(await save(job, { state: "connected", connectedTs: clock.now() }))) return;
    logger.info("delegation connected", { key: job.record.key, via });
    await restart(job);
    if (sanityMs > 0) scheduleSanity(job);
  };
  const restart = async (job: LocalJob) => {
    if (job.record.state !== "connected") return;
    const result = await actions.restart(job.record.homeserverUrl, job.record.delayId);
    if (job.stopped || job.record.state !== "connected") return;
    if (result.kind === "ok") {
      if (!(await save(job, { restartedTs: clock.now() }))) return;
      logger.debug("delayed leave restarted", { key: job.record.key });
      later(job, job.record.delayTimeoutMs * restartFraction, () => restart(job));
      return;
    }
    if (result.kind === "not-found") return abort(job, "delayed-event-not-found");
    const since = job.record.restartedTs ?? job.record.connectedTs ?? job.record.createdTs;
    const remaining = since + job.record.delayTimeoutMs - clock.now();
    if (remaining <= 0) return abort(job, `restart-timeout: ${result.message}`);
    logger.warn("restart failed; retrying", {
      key: job.record.key,
      status: result.status,
      message: result.message,
    });
    later(job, Math.max(1000, Math.min(30_000, remaining / 4)), () => restart(job));
  };
  const scheduleSanity = (job: LocalJob) => {
    later(job, sanityMs, async () => {
      if (job.record.state !== "connected") return;
      let present = true;
      try {
        present = await livekit.hasParticipant(job.record.roomAlias, job.record.identity);
      } catch (error) {
        logger.debug("sanity check failed to ask LiveKit", { key: job.record.key, error });
      }
      if (!present) return disconnect(job, "sanity-check-missed");
      scheduleSanity(job);
    });
  };
  const disconnect = async (job: LocalJob, reason: string) => {
    if (!isActiveState(job.record.state)) return;
    clearTimers(job);
    const current = await store.get(job.record.key);
    if (current?.jobId !== job.record.jobId) {
      drop(job);
      return;
    }
    const result = await actions.send(job.record.homeserverUrl, job.record.delayId);
    const sent = result.kind !== "failed";
    await save(job, {
      state: "disconnected",
      ...(sent
        ? { sentTs: clock.now(), outcome: `sent (${reason})` }
        : { outcome: `send-failed (${reason}): ${result.message}` }),
    });
    logger.info(sent ? "delayed leave sent" : "delayed leave send failed", {
      key: job.record.key,
      reason,
      result: result.kind,
    });
    drop(job);
  };
  const abort = async (job: LocalJob, reason: string) => {
    if (!isActiveState(job.record.state)) return;
    clearTimers(job);
    await save(job, { state: "aborted", outcome: reason });
    logger.info("delegation aborted", { key: job.record.key, reason });
    drop(job);
  };

  const run = (record: DelegationRecord, resumed: boolean) => {
    const existing = jobs.get(record.key);
    if (existing !== undefined) drop(existing);
    const job: LocalJob = {
      record,
      timers: new Set(),
      queue: Promise.resolve(),
      stopped: false,
      pollAttempt: 0,
    };
    jobs.set(record.key, job);
    enqueue(job, async () => {
      if (job.record.state === "waiting-for-initial-connect") {
        scheduleWaiting(job);
        return;
      }
      if (!resumed) return;
      let present = true;
      try {
        present = await livekit.hasParticipant(job.record.roomAlias, job.record.identity);
      } catch (error) {
        logger.debug("resume check failed to ask LiveKit", { key: job.record.key, error });
      }
      if (!present) return disconnect(job, "gone-while-unowned");
      await restart(job);
      if (sanityMs > 0) scheduleSanity(job);
    });
  };

  const onMessage = (message: DelegationBusMessage) => {
    const job = jobs.get(message.key);
    if (job === undefined) return;
    if (message.type === "replaced") {
      if (message.jobId !== job.record.jobId) drop(job);
      return;
    }
    enqueue(job, async () => {
      const action = webhookJobAction(job.record.state, message);
      if (action.kind === "connect") return connect(job, "webhook");
      if (action.kind === "abort") return abort(job, action.reason);
      if (action.kind === "disconnect") return disconnect(job, action.reason);
      if (action.kind === "still-present") {
        logger.debug("participant session replaced; job continues", {
          key: job.record.key,
          reason: action.reason,
        });
      }
    });
  };

  const tick = async () => {
    ticks += 1;
    const now = clock.now();
    const takeAll = !store.shared;
    for (const job of [...jobs.values()]) {
      const kept = await store.claim(job.record.key, {
        jobId: job.record.jobId,
        owner: instanceId,
        leaseUntil: now + leaseMs,
        now,
      });
      if (!kept && !job.stopped) {
        logger.info("lost delegation ownership", { key: job.record.key });
        drop(job);
      }
    }
    for (const record of await store.list()) {
      if (closed || !isActiveState(record.state) || jobs.has(record.key)) continue;
      const claimed = await store.claim(record.key, {
        jobId: record.jobId,
        owner: instanceId,
        leaseUntil: now + leaseMs,
        now: takeAll ? Number.MAX_SAFE_INTEGER : now,
      });
      if (claimed && !closed) {
        logger.info("took over delegation", {
          key: record.key,
          previousOwner: record.owner,
          state: record.state,
        });
        run({ ...record, owner: instanceId, leaseUntil: now + leaseMs }, true);
      }
    }
    if (ticks % 100 === 1) await store.prune(now - retainMs);
  };
  const loop = () => {
    leaseTimer = clock.setTimeout(() => {
      if (closed) return;
      tick()
        .catch((error: unknown) => logger.warn("delegation ownership loop failed", { error }))
        .finally(() => {
          if (!closed) loop();
        });
    }, leaseMs / 3);
  };

  return {
    async delegate(input) {
      const now = clock.now();
      const record: DelegationRecord = {
        key: delegationKey(input.roomAlias, input.identity),
        jobId: randomUUID(),
        roomAlias: input.roomAlias,
        identity: input.identity,
        delayId: input.delayId,
        delayTimeoutMs: input.delayTimeoutMs,
        homeserverUrl: input.homeserverUrl,
        state: "waiting-for-initial-connect",
        createdTs: now,
        updatedTs: now,
        owner: instanceId,
        leaseUntil: now + leaseMs,
      };
      await store.put(record);
      await store.publish({ type: "replaced", key: record.key, jobId: record.jobId });
      logger.info("delegation accepted", {
        key: record.key,
        delayTimeoutMs: record.delayTimeoutMs,
      });
      run(record, false);
      return record;
    },
    async participantEvent(input) {
      await store.publish({
        type: "participant-event",
        key: delegationKey(input.roomAlias, input.identity),
        event: input.event,
        ...(input.disconnectReason === undefined
          ? {}
          : { disconnectReason: input.disconnectReason }),
      });
    },
    async start() {
      unsubscribe = store.subscribe(onMessage);
      await tick();
      loop();
    },
    async close(closeOptions = {}) {
      closed = true;
      clock.clearTimeout(leaseTimer);
      unsubscribe?.();
      const running = [...jobs.values()];
      for (const job of running) drop(job);
      await Promise.all(running.map((job) => job.queue));
      if (closeOptions.release !== false && store.shared) {
        for (const job of running) {
          await store
            .claim(job.record.key, {
              jobId: job.record.jobId,
              owner: instanceId,
              leaseUntil: 0,
              now: clock.now(),
            })
            .catch(() => false);
        }
      }
    },
    localJobs: () => [...jobs.keys()],
    async idle() {
      for (let round = 0; round < 50; round++) {
        const queues = [...jobs.values()].map((job) => job.queue);
        await Promise.all(queues);
        await new Promise((resolve) => setImmediate(resolve));
        if ([...jobs.values()].every((job) => queues.includes(job.queue))) return;
      }
    },
  };
}
