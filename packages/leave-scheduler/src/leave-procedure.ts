import { classifyFailure } from "./classify-failure.js";
import { cancelDelayedLeave, writeLeaveDirectly } from "./delayed-leave-operations.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";
import type { LeaveMethod, LeftCause } from "./leave-scheduler-events.js";
import {
  clearHeartbeatTimer,
  emitError,
  enqueue,
  forgetDelayId,
  type SchedulerCore,
  setState,
  writingStates,
} from "./scheduler-core.js";

/**
 * Cancels our delayed leave while leaving, with up to two retries. If that fails, the stored id
 * is kept so that the next `join` cancels it first.
 */
async function cancelOnLeave(core: SchedulerCore, id: string): Promise<void> {
  const budget = {
    transient: Math.max(0, core.maximumTransient - 2),
    rateLimited: Math.max(0, core.maximumRateLimited - 2),
  };
  if (await cancelDelayedLeave(core, id, budget)) {
    await forgetDelayId(core);
    return;
  }
  core.delayId = undefined;
  core.proof = undefined;
  emitError(
    core,
    new LeaveSchedulerError(
      "leave-failed",
      `could not cancel the delayed leave ${id}; it fires on its own, and the next join cancels it`,
    ),
    false,
  );
}

/** The leave itself: send the delayed leave, else write the leave directly, then clean up. */
export async function runLeave(core: SchedulerCore, cause: LeftCause): Promise<void> {
  setState(core, "leaving");
  clearHeartbeatTimer(core);
  const stale = core.staleDelayId;
  core.staleDelayId = undefined;
  if (stale !== undefined && stale !== core.delayId) {
    // Said gone (404/409); should it still exist, sending it is exactly the leave we want.
    await core.timers
      .withTimeout(
        (signal) => core.transport.send(stale, { signal }),
        core.requestTimeoutMs,
        "send",
      )
      .catch(() => undefined);
  }
  const id = core.delayId;
  let method: LeaveMethod = "none";
  if (id !== undefined && !core.membershipSent) {
    method = "cancelled";
    await cancelOnLeave(core, id);
  } else if (id !== undefined) {
    try {
      await core.timers.withTimeout(
        (signal) => core.transport.send(id, { signal }),
        core.requestTimeoutMs,
        "send delayed leave",
      );
      method = "delayed-leave-sent";
      await forgetDelayId(core);
    } catch (sendError) {
      const failure = classifyFailure(sendError);
      const gone = failure.kind === "not-found" || failure.kind === "conflict";
      try {
        await core.timers.withTimeout(
          (signal) => writeLeaveDirectly(core, signal),
          core.requestTimeoutMs,
          "direct leave",
        );
        method = "direct";
        // Even after a 404/409: should the server have been wrong, a leftover delayed leave
        // would knock out a later join on the same state key.
        await cancelOnLeave(core, id);
      } catch (directError) {
        method = gone ? "none" : "delayed-leave-pending";
        if (gone) await forgetDelayId(core);
        emitError(
          core,
          new LeaveSchedulerError(
            "leave-failed",
            gone
              ? "the delayed leave was already finalised and the direct leave failed"
              : "sending the delayed leave and the direct leave failed; the delayed leave fires on its own",
            { cause: directError },
          ),
          false,
        );
      }
    }
  } else if (core.membershipSent) {
    try {
      await core.timers.withTimeout(
        (signal) => writeLeaveDirectly(core, signal),
        core.requestTimeoutMs,
        "direct leave",
      );
      method = "direct";
    } catch (directError) {
      emitError(
        core,
        new LeaveSchedulerError("leave-failed", "the direct leave failed", {
          cause: directError,
        }),
        false,
      );
    }
  }
  core.membershipSent = false;
  core.proof = undefined;
  core.probablyLeft = false;
  core.probeDue = false;
  setState(core, "left");
  core.emitter.emit("left", { method, cause });
}

/**
 * Starts the leave: interrupts queued work (new epoch), moves to `leaving` at once, and queues
 * {@link runLeave}.
 */
export function requestLeave(core: SchedulerCore, cause: LeftCause): Promise<void> {
  if (core.leavePromise) return core.leavePromise;
  if (core.closed || !writingStates.includes(core.state)) return Promise.resolve();
  core.epoch += 1;
  core.pendingLoss = undefined;
  clearHeartbeatTimer(core);
  core.timers.wake();
  setState(core, "leaving");
  const promise = enqueue(core, () => runLeave(core, cause)).finally(() => {
    if (core.leavePromise === promise) core.leavePromise = undefined;
  });
  core.leavePromise = promise;
  return promise;
}
