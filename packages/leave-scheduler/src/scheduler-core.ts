import type { DisconnectReason } from "@mxrtc/focus";
import { type classifyFailure, DEFAULT_RATE_LIMIT_WAIT_MS } from "./classify-failure.js";
import { type Clock, systemClock } from "./clock.js";
import { delayIdStorageKey } from "./delay-id-storage.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";
import { createEmitter, type RejoinCause } from "./leave-scheduler-events.js";
import type {
  LeaveSchedulerOptions,
  RejoinContext,
  RejoinPolicy,
  SendMembership,
} from "./leave-scheduler-options.js";
import { isAllowedTransition, type LeaveSchedulerState } from "./leave-scheduler-state.js";
import { defaultRejoinPolicy } from "./rejoin-policy.js";
import { createSchedulerTimers, type RetryBudget } from "./scheduler-timers.js";
import { backoffMs, type LeaveTiming } from "./timing.js";

/**
 * The last successful schedule or restart: the delayed leave fires no earlier than `deadlineTs`.
 */
export interface Proof {
  readonly delayId: string;
  readonly sentTs: number;
  readonly deadlineTs: number;
}

/**
 * Everything one scheduler instance knows (internal). The operations in the other modules take
 * it as their first argument; `createLeaveScheduler` owns it.
 */
export interface SchedulerCore {
  readonly options: LeaveSchedulerOptions;
  readonly timing: LeaveTiming;
  readonly clock: Clock;
  readonly random: () => number;
  readonly transport: LeaveSchedulerOptions["delayedEvents"];
  readonly leaveTarget: LeaveSchedulerOptions["leave"];
  readonly storageKey: string;
  readonly requestTimeoutMs: number;
  readonly membershipTimeoutMs: number;
  readonly maximumTransient: number;
  readonly maximumRateLimited: number;
  readonly maximumLowerings: number;
  readonly rejoinPolicy: RejoinPolicy;
  readonly emitter: ReturnType<typeof createEmitter>;
  readonly timers: ReturnType<typeof createSchedulerTimers>;

  /** The state field; change it only through {@link setState}. */
  state: LeaveSchedulerState;
  closed: boolean;

  /**
   * Bumped by leave() and close(); a task started under an older epoch stops at its next
   * checkpoint.
   */
  epoch: number;
  delayId: string | undefined;

  /** The current delay; lowered after `M_MAX_DELAY_EXCEEDED`. */
  delayMs: number;
  proof: Proof | undefined;

  /** A membership may exist on the server (a write was attempted since the last leave). */
  membershipSent: boolean;
  sendMembership: SendMembership | undefined;

  /** Smoothed restart round trip. */
  roundTripMs: number | undefined;
  probablyLeft: boolean;

  /** Restart right away (after a membership write) instead of one interval after the last proof. */
  probeDue: boolean;

  /** The one ordered queue every operation runs in. */
  queue: Promise<unknown>;

  /** Join, update and rejoin operations queued or running (membershipMissing guard). */
  writesPending: number;
  heartbeatTimer: unknown;
  heartbeatQueued: boolean;

  /** A recovery asked for by membershipMissing() or reportDisconnect(), not yet started. */
  pendingLoss: { cause: RejoinCause; reason?: DisconnectReason } | undefined;
  disconnectReported: boolean;
  leavePromise: Promise<void> | undefined;
  /**
   * A delay id the server called gone (404/409 on restart). Cancelled, best effort, once the
   * replacement is armed or on leave: should the 404 have been wrong, the old delayed leave would
   * otherwise fire later and knock the new membership out.
   */
  staleDelayId: string | undefined;
}

/**
 * States in which a membership may exist or be on its way: leave() and the leave port act in them.
 */
export const writingStates: readonly LeaveSchedulerState[] = [
  "arming",
  "joining",
  "joined",
  "updating",
  "probably-left",
  "rearming",
  "rejoining",
];

/** Resolves the options into a fresh {@link SchedulerCore} in state `idle`. */
export function createSchedulerCore(
  options: LeaveSchedulerOptions,
  timing: LeaveTiming,
): SchedulerCore {
  const clock = options.clock ?? systemClock;
  return {
    options,
    timing,
    clock,
    random: options.random ?? Math.random,
    transport: options.delayedEvents,
    leaveTarget: options.leave,
    storageKey: options.storageKey ?? delayIdStorageKey(options.leave),
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    membershipTimeoutMs: options.membershipTimeoutMs ?? 5_000,
    maximumTransient: options.maximumTransientRetries ?? 8,
    maximumRateLimited: options.maximumRateLimitRetries ?? 10,
    maximumLowerings: options.maximumDelayLowerings ?? 5,
    rejoinPolicy: options.rejoin ?? defaultRejoinPolicy,
    emitter: createEmitter(),
    timers: createSchedulerTimers(clock),
    state: "idle",
    closed: false,
    epoch: 0,
    delayId: undefined,
    delayMs: timing.delayMs,
    proof: undefined,
    membershipSent: false,
    sendMembership: undefined,
    roundTripMs: undefined,
    probablyLeft: false,
    probeDue: false,
    queue: Promise.resolve(),
    writesPending: 0,
    heartbeatTimer: undefined,
    heartbeatQueued: false,
    pendingLoss: undefined,
    disconnectReported: false,
    leavePromise: undefined,
    staleDelayId: undefined,
  };
}

/**
 * Changes the state field and emits `state-changed`; an unlisted transition is reported as an
 * internal error.
 */
export function setState(core: SchedulerCore, to: LeaveSchedulerState): void {
  if (core.state === to) return;
  const from = core.state;
  if (!isAllowedTransition(from, to)) {
    emitError(
      core,
      new LeaveSchedulerError("invalid-state", `internal: transition ${from} → ${to}`),
      false,
    );
  }
  core.state = to;
  core.emitter.emit("state-changed", { from, to });
}

/** Emits an `error` event unless closed. */
export function emitError(core: SchedulerCore, error: LeaveSchedulerError, fatal: boolean): void {
  if (!core.closed) core.emitter.emit("error", { error, fatal });
}

/** Wraps any thrown value in a `LeaveSchedulerError("request-failed")`, keeping it as `cause`. */
export function toSchedulerError(error: unknown, what: string): LeaveSchedulerError {
  if (LeaveSchedulerError.isInstance(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new LeaveSchedulerError("request-failed", `${what} failed: ${detail}`, { cause: error });
}

/** The error for an operation interrupted by `leave()` (`superseded`) or `close()` (`closed`). */
export function superseded(core: SchedulerCore): LeaveSchedulerError {
  return core.closed
    ? new LeaveSchedulerError("closed", "the leave scheduler was closed")
    : new LeaveSchedulerError("superseded", "interrupted by leave()");
}

/** Throws when `leave()` or `close()` happened since the task started. */
export function checkpoint(core: SchedulerCore, taskEpoch: number): void {
  if (core.closed || taskEpoch !== core.epoch) throw superseded(core);
}

/**
 * {@link checkpoint}, then {@link setState}: a task never moves the state after it was superseded.
 */
export function advance(core: SchedulerCore, taskEpoch: number, to: LeaveSchedulerState): void {
  checkpoint(core, taskEpoch);
  setState(core, to);
}

/** Runs `task` after everything queued before it: the one ordered queue of the scheduler. */
export function enqueue<T>(core: SchedulerCore, task: () => Promise<T>): Promise<T> {
  const result = core.queue.then(task);
  core.queue = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

/**
 * Persists (or with `undefined`, deletes) the delay id; failures become non-fatal `storage-failed`
 * errors.
 */
export async function storageSet(core: SchedulerCore, value: string | undefined): Promise<void> {
  if (!core.options.storage) return;
  try {
    await core.options.storage.set(core.storageKey, value);
  } catch (error) {
    emitError(
      core,
      new LeaveSchedulerError("storage-failed", "storing the delay id failed", { cause: error }),
      false,
    );
  }
}

/** Reads the persisted delay id; failures become non-fatal `storage-failed` errors. */
export async function storageGet(core: SchedulerCore): Promise<string | undefined> {
  if (!core.options.storage) return undefined;
  try {
    const value = await core.options.storage.get(core.storageKey);
    return typeof value === "string" && value !== "" ? value : undefined;
  } catch (error) {
    emitError(
      core,
      new LeaveSchedulerError("storage-failed", "reading the delay id failed", { cause: error }),
      false,
    );
    return undefined;
  }
}

/** Asks the rejoin policy; a throwing policy function counts as "no". */
export function allowsRejoin(core: SchedulerCore, context: RejoinContext): boolean {
  if (core.rejoinPolicy === "always") return true;
  if (core.rejoinPolicy === "never") return false;
  try {
    return core.rejoinPolicy(context) === true;
  } catch {
    return false;
  }
}

/** Reports `probably-left` once (and moves `joined` to `probably-left`). */
export function enterProbablyLeft(core: SchedulerCore): void {
  if (core.probablyLeft) return;
  core.probablyLeft = true;
  if (core.state === "joined") setState(core, "probably-left");
  core.emitter.emit("probably-left", {
    probablyLeft: true,
    deadlineTs: core.proof?.deadlineTs ?? core.clock.now(),
  });
}

/**
 * A schedule or restart succeeded: back to `joined`, and `probably-left: false` if it had been
 * reported.
 */
export function clearProbablyLeft(core: SchedulerCore): void {
  if (core.state === "probably-left") setState(core, "joined");
  if (!core.probablyLeft) return;
  core.probablyLeft = false;
  core.emitter.emit("probably-left", {
    probablyLeft: false,
    deadlineTs: core.proof?.deadlineTs ?? core.clock.now(),
  });
}

/** A sent membership must land before the delayed leave could fire. */
export function proofAlive(core: SchedulerCore): boolean {
  const guardMs = Math.min(core.membershipTimeoutMs, Math.floor(core.delayMs / 2));
  return (
    core.proof !== undefined &&
    core.proof.delayId === core.delayId &&
    core.clock.now() < core.proof.deadlineTs - guardMs
  );
}

/** Records a successful restart sent at `sentTs`: new proof, smoothed round trip, event. */
export function onRestarted(core: SchedulerCore, id: string, sentTs: number): void {
  if (id !== core.delayId) return;
  const now = core.clock.now();
  const sample = Math.max(0, now - sentTs);
  core.roundTripMs =
    core.roundTripMs === undefined ? sample : Math.round(0.7 * core.roundTripMs + 0.3 * sample);
  core.proof = { delayId: id, sentTs, deadlineTs: sentTs + core.delayMs };
  core.emitter.emit("delayed-leave-restarted", {
    delayId: id,
    deadlineTs: core.proof.deadlineTs,
    roundTripMs: sample,
  });
  clearProbablyLeft(core);
}

/** Records a newly scheduled delayed leave: proof, event, delegation hook, storage. */
export async function adoptDelayId(core: SchedulerCore, id: string, sentTs: number): Promise<void> {
  core.delayId = id;
  core.proof = { delayId: id, sentTs, deadlineTs: sentTs + core.delayMs };
  core.emitter.emit("delayed-leave-scheduled", {
    delayId: id,
    delayMs: core.delayMs,
    deadlineTs: core.proof.deadlineTs,
  });
  clearProbablyLeft(core);
  if (core.options.onDelegation) {
    try {
      core.options.onDelegation({
        delayId: id,
        delayMs: core.delayMs,
        roomId: core.leaveTarget.roomId,
      });
    } catch (error) {
      emitError(
        core,
        new LeaveSchedulerError("delegation-hook-failed", "onDelegation threw", { cause: error }),
        false,
      );
    }
  }
  await storageSet(core, id);
}

/**
 * The delayed leave is gone (sent, cancelled, fired): drop the id and the stored copy. With
 * `stale: true` (the server said 404/409 on restart), remember it for a best-effort cancel.
 */
export async function forgetDelayId(
  core: SchedulerCore,
  options: { readonly stale?: boolean } = {},
): Promise<void> {
  if (options.stale === true && core.delayId !== undefined) core.staleDelayId = core.delayId;
  core.delayId = undefined;
  core.proof = undefined;
  await storageSet(core, undefined);
}

/** Waits out a retryable failure or throws when the budget is spent. */
export async function waitToRetry(
  core: SchedulerCore,
  failure: ReturnType<typeof classifyFailure>,
  error: unknown,
  budget: RetryBudget,
  what: string,
): Promise<void> {
  if (failure.kind === "superseded") throw error;
  if (failure.kind === "rate-limited") {
    budget.rateLimited += 1;
    if (budget.rateLimited > core.maximumRateLimited) {
      throw new LeaveSchedulerError(
        "retries-exhausted",
        `${what}: rate limited ${budget.rateLimited} times`,
        { cause: error },
      );
    }
    await core.timers.sleep(failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS, "operation");
    return;
  }
  if (failure.kind === "transient") {
    budget.transient += 1;
    if (budget.transient > core.maximumTransient) {
      throw new LeaveSchedulerError(
        "retries-exhausted",
        `${what}: ${budget.transient} network or server errors`,
        { cause: error },
      );
    }
    await core.timers.sleep(
      backoffMs(budget.transient - 1, core.random, { baseMs: 500, capMs: 8_000 }),
      "operation",
    );
    return;
  }
  if (failure.kind === "unsupported") {
    throw new LeaveSchedulerError(
      "delayed-events-unsupported",
      "the homeserver does not support delayed events (MSC4140); refusing to write a membership nothing would clean up",
      { cause: error },
    );
  }
  throw toSchedulerError(error, what);
}

/** Cancels the pending heartbeat timer, if any. */
export function clearHeartbeatTimer(core: SchedulerCore): void {
  if (core.heartbeatTimer !== undefined) core.clock.clearTimeout(core.heartbeatTimer);
  core.heartbeatTimer = undefined;
}
