import type { DisconnectReason } from "@mxrtc/focus";
import { classifyFailure, DEFAULT_RATE_LIMIT_WAIT_MS } from "./classify-failure.js";
import { arm, writeMembership } from "./delayed-leave-operations.js";
import { runLeave } from "./leave-procedure.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";
import type { RejoinCause } from "./leave-scheduler-events.js";
import type { RejoinContext } from "./leave-scheduler-options.js";
import {
  advance,
  allowsRejoin,
  clearHeartbeatTimer,
  emitError,
  enqueue,
  enterProbablyLeft,
  forgetDelayId,
  onRestarted,
  type SchedulerCore,
  toSchedulerError,
} from "./scheduler-core.js";
import { freshBudget } from "./scheduler-timers.js";
import { backoffMs, restartIntervalForDelay, restartTimeoutFor } from "./timing.js";

/*
 * The heartbeat (restart the delayed leave once per interval, report probably-left at the
 * deadline) and the recovery it leads to when the delayed leave or the membership is lost
 * (internal).
 */

export function scheduleHeartbeat(core: SchedulerCore): void {
  clearHeartbeatTimer(core);
  if (core.closed || core.proof === undefined) return;
  const dueTs = core.probeDue
    ? core.clock.now()
    : core.proof.sentTs + restartIntervalForDelay(core.timing, core.delayMs);
  core.heartbeatTimer = core.clock.setTimeout(
    () => onHeartbeatTimer(core),
    Math.max(0, dueTs - core.clock.now()),
  );
}

/**
 * The heartbeat timer fired: report a passed deadline first (clock jump), then queue the restart.
 */
export function onHeartbeatTimer(core: SchedulerCore): void {
  core.heartbeatTimer = undefined;
  if (core.closed || core.heartbeatQueued || core.pendingLoss !== undefined) return;
  if (core.state !== "joined" && core.state !== "probably-left") return;
  // A timer that fires after the deadline means the process slept or starved (clock jump): the
  // server has probably fired the leave. Say so before anything else is sent (js-sdk#5522).
  if (core.proof !== undefined && core.clock.now() >= core.proof.deadlineTs)
    enterProbablyLeft(core);
  core.heartbeatQueued = true;
  const taskEpoch = core.epoch;
  void enqueue(core, () => heartbeatTask(core, taskEpoch));
}

/**
 * One heartbeat: restart the delayed leave, retrying with back-off until it succeeds, is lost (then
 * recover), or the scheduler moves on.
 */
export async function heartbeatTask(core: SchedulerCore, taskEpoch: number): Promise<void> {
  core.heartbeatQueued = false;
  if (core.closed || taskEpoch !== core.epoch || core.pendingLoss !== undefined) return;
  if (core.state !== "joined" && core.state !== "probably-left") return;
  const intervalMs = restartIntervalForDelay(core.timing, core.delayMs);
  if (
    !core.probeDue &&
    core.proof !== undefined &&
    core.clock.now() < core.proof.sentTs + intervalMs
  ) {
    scheduleHeartbeat(core); // a write operation restarted it just now
    return;
  }
  let attempt = 0;
  let reportedFailure = false;
  for (;;) {
    const id = core.delayId;
    if (core.closed || taskEpoch !== core.epoch || core.pendingLoss !== undefined) return;
    if (id === undefined) break;
    const sentTs = core.clock.now();
    const remainingMs = (core.proof?.deadlineTs ?? sentTs) - sentTs;
    if (remainingMs <= 0) enterProbablyLeft(core);
    const timeoutMs = restartTimeoutFor({
      maximumMs: core.timing.restartTimeoutMs,
      roundTripMs: core.roundTripMs,
      remainingMs,
    });
    try {
      await core.timers.withTimeout(
        (signal) => core.transport.restart(id, { signal }),
        timeoutMs,
        "restart",
      );
      onRestarted(core, id, sentTs);
      if (core.closed || taskEpoch !== core.epoch || core.pendingLoss !== undefined) return;
      core.probeDue = false;
      scheduleHeartbeat(core);
      return;
    } catch (error) {
      if (core.closed || taskEpoch !== core.epoch || core.pendingLoss !== undefined) return;
      const failure = classifyFailure(error);
      if (failure.kind === "not-found" || failure.kind === "conflict") {
        if (id === core.delayId) {
          if (failure.kind === "not-found") core.membershipSent = false; // the server fired it
          await forgetDelayId(core, { stale: true });
        }
        break;
      }
      let waitMs: number;
      if (failure.kind === "rate-limited") {
        waitMs = failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
      } else {
        if (failure.kind !== "transient" && !reportedFailure) {
          reportedFailure = true;
          emitError(core, toSchedulerError(error, "restart"), false);
        }
        const overdue = core.proof === undefined || core.clock.now() >= core.proof.deadlineTs;
        waitMs = backoffMs(
          attempt,
          core.random,
          overdue ? { baseMs: 1_000, capMs: 30_000 } : { baseMs: 250, capMs: 1_000 },
        );
        attempt += 1;
      }
      if (core.proof === undefined || core.clock.now() + waitMs >= core.proof.deadlineTs)
        enterProbablyLeft(core);
      await core.timers.sleep(waitMs, "heartbeat");
    }
  }
  await recover(core, { cause: "delayed-leave-lost" }, taskEpoch);
}

/**
 * The delayed leave or the membership is lost, or a focus disconnected: rejoin (re-arm first, then
 * re-send) if the policy allows, else leave.
 */
export async function recover(
  core: SchedulerCore,
  loss: { cause: RejoinCause; reason?: DisconnectReason },
  taskEpoch: number,
): Promise<void> {
  if (core.closed || taskEpoch !== core.epoch) return;
  const context: RejoinContext =
    loss.reason === undefined ? { cause: loss.cause } : { cause: loss.cause, reason: loss.reason };
  if (loss.cause === "membership-missing") core.membershipSent = false;
  // A disconnect reaches here only when reportDisconnect already asked the policy.
  if (loss.cause !== "disconnect" && !allowsRejoin(core, context)) {
    await runLeave(core, loss.cause);
    return;
  }
  core.writesPending += 1;
  try {
    core.emitter.emit("rejoining", context);
    const budget = freshBudget(); // budgets reset on rejoin (js-sdk#5517)
    for (let attempt = 0; ; attempt += 1) {
      advance(core, taskEpoch, "rearming");
      await arm(core, taskEpoch, budget);
      advance(core, taskEpoch, "rejoining");
      if ((await writeMembership(core, taskEpoch, budget)) === "sent") break;
      if (attempt >= 2)
        throw new LeaveSchedulerError(
          "request-failed",
          "the new delayed leave vanished three times",
        );
    }
    advance(core, taskEpoch, "joined");
    if (loss.cause === "disconnect") core.disconnectReported = false;
    core.probeDue = true;
    scheduleHeartbeat(core);
  } catch (error) {
    if (core.closed || taskEpoch !== core.epoch) return;
    emitError(core, toSchedulerError(error, "rejoin"), true);
    await runLeave(core, "failure");
  } finally {
    core.writesPending -= 1;
  }
}

/** Interrupts the heartbeat and queues {@link recover}. */
export function requestRecovery(
  core: SchedulerCore,
  loss: { cause: RejoinCause; reason?: DisconnectReason },
): void {
  core.pendingLoss = loss;
  clearHeartbeatTimer(core);
  core.timers.wake("heartbeat");
  const taskEpoch = core.epoch;
  void enqueue(core, async () => {
    const current = core.pendingLoss;
    core.pendingLoss = undefined;
    if (current !== undefined) await recover(core, current, taskEpoch);
  });
}
