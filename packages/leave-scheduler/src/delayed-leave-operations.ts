import { classifyFailure, DEFAULT_RATE_LIMIT_WAIT_MS } from "./classify-failure.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";
import {
  adoptDelayId,
  checkpoint,
  emitError,
  enterProbablyLeft,
  onRestarted,
  proofAlive,
  type SchedulerCore,
  waitToRetry,
} from "./scheduler-core.js";
import { freshBudget, type RetryBudget } from "./scheduler-timers.js";
import { backoffMs, MINIMUM_DELAY_MS, restartTimeoutFor } from "./timing.js";

/*
 * The requests behind the scheduler's operations (internal): schedule, restart-as-proof, cancel,
 * the direct leave, and the membership write that must sit behind a live delayed leave.
 */

export function schedule(
  core: SchedulerCore,
  signal: AbortSignal,
): Promise<{ readonly delayId: string }> {
  if (core.leaveTarget.kind === "state") {
    return core.transport.scheduleStateEvent({
      roomId: core.leaveTarget.roomId,
      eventType: core.leaveTarget.eventType,
      stateKey: core.leaveTarget.stateKey,
      content: core.leaveTarget.content,
      delayMs: core.delayMs,
      signal,
    });
  }
  return core.transport.scheduleMessageEvent({
    roomId: core.leaveTarget.roomId,
    eventType: core.leaveTarget.eventType,
    content: core.leaveTarget.content,
    delayMs: core.delayMs,
    stickyDurationMs: core.leaveTarget.stickyDurationMs,
    signal,
  });
}

/**
 * Writes the leave content directly (state event, or sticky event): the fallback when `send` fails.
 */
export async function writeLeaveDirectly(core: SchedulerCore, signal: AbortSignal): Promise<void> {
  if (core.leaveTarget.kind === "state") {
    await core.options.matrix.sendStateEvent(
      core.leaveTarget.roomId,
      core.leaveTarget.eventType,
      core.leaveTarget.stateKey,
      core.leaveTarget.content,
      { signal },
    );
  } else {
    await core.options.matrix.sendEvent(
      core.leaveTarget.roomId,
      core.leaveTarget.eventType,
      core.leaveTarget.content,
      {
        signal,
        stickyDurationMs: core.leaveTarget.stickyDurationMs,
      },
    );
  }
}

/** Cancels a delayed leave; 404/409 mean it is already gone. Returns false if it may remain. */
export async function cancelDelayedLeave(
  core: SchedulerCore,
  id: string,
  budget: RetryBudget | undefined,
): Promise<boolean> {
  for (;;) {
    try {
      await core.timers.withTimeout(
        (signal) => core.transport.cancel(id, { signal }),
        core.requestTimeoutMs,
        "cancel",
      );
      return true;
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === "not-found" || failure.kind === "conflict") return true;
      if (
        budget === undefined ||
        (failure.kind !== "transient" && failure.kind !== "rate-limited")
      ) {
        return false;
      }
      try {
        await waitToRetry(core, failure, error, budget, "cancel");
      } catch {
        return false;
      }
    }
  }
}

/** Arms a new delayed leave (then cancels the one it replaces). */
export async function arm(
  core: SchedulerCore,
  taskEpoch: number,
  budget: RetryBudget,
): Promise<void> {
  const previous = core.delayId;
  let lowerings = 0;
  for (;;) {
    checkpoint(core, taskEpoch);
    const sentTs = core.clock.now();
    try {
      const result = await core.timers.withTimeout(
        (signal) => schedule(core, signal),
        core.requestTimeoutMs,
        "schedule delayed leave",
      );
      // Record first: if leave() interrupted us, its task must still see (and remove) this id.
      await adoptDelayId(core, result.delayId, sentTs);
      break;
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind !== "delay-too-long") {
        await waitToRetry(core, failure, error, budget, "schedule delayed leave");
        continue;
      }
      lowerings += 1;
      if (core.delayMs <= MINIMUM_DELAY_MS || lowerings > core.maximumLowerings) {
        throw new LeaveSchedulerError(
          "delay-too-long",
          `the server refused a ${core.delayMs} ms delay after ${lowerings} lowerings`,
          { cause: error },
        );
      }
      const serverMaximum = failure.maxDelayMs;
      const proposed =
        serverMaximum !== undefined && serverMaximum < core.delayMs
          ? serverMaximum
          : Math.floor(core.delayMs / 2);
      core.delayMs = Math.max(MINIMUM_DELAY_MS, Math.floor(proposed));
      // The first lowering to a maximum the server named is retried at once; later ones back off.
      if (lowerings > 1 || serverMaximum === undefined) {
        await core.timers.sleep(
          backoffMs(lowerings - 1, core.random, { baseMs: 250, capMs: 4_000 }),
          "operation",
        );
      }
    }
  }
  const stale = core.staleDelayId;
  core.staleDelayId = undefined;
  if (stale !== undefined && stale !== previous && stale !== core.delayId) {
    // Normally answered 404. Should the server have been wrong, this old delayed leave would
    // fire in a few seconds and knock out the membership we are about to send.
    await cancelDelayedLeave(core, stale, undefined);
  }
  if (previous !== undefined && previous !== core.delayId) {
    const gone = await cancelDelayedLeave(core, previous, freshBudget());
    if (!gone) {
      emitError(
        core,
        new LeaveSchedulerError(
          "request-failed",
          `could not cancel the replaced delayed leave ${previous}`,
        ),
        false,
      );
    }
  }
}

/**
 * Restarts the delayed leave to prove it alive before a re-send. Returns false when it is gone
 * (404/409). Throws when the budget runs out.
 */
export async function prove(
  core: SchedulerCore,
  taskEpoch: number,
  budget: RetryBudget,
): Promise<boolean> {
  for (;;) {
    checkpoint(core, taskEpoch);
    const id = core.delayId;
    if (id === undefined) return false;
    const sentTs = core.clock.now();
    const timeoutMs = restartTimeoutFor({
      maximumMs: core.timing.restartTimeoutMs,
      roundTripMs: core.roundTripMs,
      remainingMs: (core.proof?.deadlineTs ?? sentTs) - sentTs,
    });
    try {
      await core.timers.withTimeout(
        (signal) => core.transport.restart(id, { signal }),
        timeoutMs,
        "restart",
      );
      onRestarted(core, id, sentTs);
      return true;
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure.kind === "not-found" || failure.kind === "conflict") return false;
      const waitMs =
        failure.kind === "rate-limited" ? (failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS) : 0;
      if (core.proof !== undefined && core.clock.now() + waitMs >= core.proof.deadlineTs)
        enterProbablyLeft(core);
      await waitToRetry(core, failure, error, budget, "restart");
    }
  }
}

/** Sends the membership once a live delayed leave is proven. Returns "lost" if it is gone. */
export async function writeMembership(
  core: SchedulerCore,
  taskEpoch: number,
  budget: RetryBudget,
): Promise<"sent" | "lost"> {
  for (;;) {
    checkpoint(core, taskEpoch);
    if (!proofAlive(core) && !(await prove(core, taskEpoch, budget))) return "lost";
    checkpoint(core, taskEpoch);
    if (!proofAlive(core)) continue;
    const send = core.sendMembership;
    if (send === undefined)
      throw new LeaveSchedulerError("invalid-state", "no sendMembership callback");
    core.membershipSent = true; // it may land even if the call fails: a later leave must remove it
    try {
      await core.timers.withTimeout(
        (signal) => send({ signal }),
        core.membershipTimeoutMs,
        "sendMembership",
      );
      return "sent";
    } catch (error) {
      await waitToRetry(core, classifyFailure(error), error, budget, "sendMembership");
    }
  }
}
