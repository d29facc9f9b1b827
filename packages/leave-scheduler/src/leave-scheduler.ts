import type { DisconnectReason, LeavePortV1 } from "@mxrtc/focus";
import { arm, cancelDelayedLeave, prove, writeMembership } from "./delayed-leave-operations.js";
import { recover, requestRecovery, scheduleHeartbeat } from "./heartbeat.js";
import { requestLeave, runLeave } from "./leave-procedure.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";
import type {
  LeaveScheduler,
  LeaveSchedulerOptions,
  LeaveTarget,
  SendMembership,
} from "./leave-scheduler-options.js";
import {
  advance,
  allowsRejoin,
  checkpoint,
  clearHeartbeatTimer,
  createSchedulerCore,
  emitError,
  enqueue,
  forgetDelayId,
  setState,
  storageGet,
  superseded,
  toSchedulerError,
  writingStates,
} from "./scheduler-core.js";
import { freshBudget } from "./scheduler-timers.js";
import { resolveLeaveTiming } from "./timing.js";

function validateLeave(leave: LeaveTarget): void {
  const target = leave as Partial<LeaveTarget> | undefined;
  const fail = (message: string): never => {
    throw new LeaveSchedulerError("invalid-options", `leave: ${message}`);
  };
  if (typeof target !== "object" || target === null) fail("must be an object");
  if (target?.kind !== "state" && target?.kind !== "sticky")
    fail('kind must be "state" or "sticky"');
  if (typeof target?.roomId !== "string" || target.roomId === "")
    fail("roomId must be a non-empty string");
  if (typeof target?.eventType !== "string" || target.eventType === "")
    fail("eventType must be a non-empty string");
  if (typeof target?.content !== "object" || target.content === null)
    fail("content must be an object");
  if (target?.kind === "state" && typeof target.stateKey !== "string")
    fail("stateKey must be a string");
}

/**
 * Creates the leave scheduler: the one place that arms, heartbeats and sends a member's delayed
 * leave (MSC4140), and that every membership write of the member goes through.
 *
 * @remarks Ordering guarantees:
 * - the delayed leave is armed before the membership is first sent, so the room state is bound to
 *   end empty even if the client dies right after;
 * - every membership write (join, update, rejoin) runs in one ordered queue and is preceded by a
 *   proof that the delayed leave is alive (a fresh arm, or a successful restart whose deadline has
 *   not passed), so a membership never exists without a delayed leave behind it (js-sdk#5522);
 * - after a clock jump (sleep/wake) the deadline is checked before anything else.
 *
 * Timing (see the README for the numbers): delay 8 s, a restart every 6 s, local timeout ≤ 2 s
 * adapting to the measured round trip; `delegated: true` relaxes to 60 s / 45 s / 5 s.
 *
 * @example
 * ```ts
 * import { createMatrixClient } from "@mxrtc/matrix";
 * import { createDelayedEventTransport } from "@mxrtc/delayed-events";
 * import { createLeaveScheduler } from "@mxrtc/leave-scheduler";
 *
 * const matrix = createMatrixClient({ baseUrl, accessToken });
 * const scheduler = createLeaveScheduler({
 *   delayedEvents: createDelayedEventTransport({ matrix }),
 *   matrix,
 *   leave: { kind: "state", roomId, eventType: "org.matrix.msc3401.call.member", stateKey, content: {} },
 * });
 * await scheduler.join(({ signal }) =>
 *   matrix.sendStateEvent(roomId, "org.matrix.msc3401.call.member", stateKey, membership, { signal }).then(() => {}),
 * );
 * // …later
 * await scheduler.leave();
 * ```
 *
 * @throws LeaveSchedulerError `"invalid-options"` for bad timing or leave target.
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function createLeaveScheduler(options: LeaveSchedulerOptions): LeaveScheduler {
  validateLeave(options.leave);
  const core = createSchedulerCore(options, resolveLeaveTiming(options));
  let joinPromise: Promise<void> | undefined;
  let closePromise: Promise<void> | undefined;

  const leavePort: LeavePortV1 = Object.freeze({
    specificationVersion: "v1" as const,
    reportDisconnect(input: {
      readonly reason: DisconnectReason;
      readonly message?: string;
      readonly cause?: unknown;
    }): void {
      if (core.closed || core.disconnectReported || !writingStates.includes(core.state)) return;
      core.disconnectReported = true;
      const reason: DisconnectReason = typeof input?.reason === "string" ? input.reason : "unknown";
      if (allowsRejoin(core, { cause: "disconnect", reason })) {
        if (core.pendingLoss === undefined && core.writesPending === 0)
          requestRecovery(core, { cause: "disconnect", reason });
        return;
      }
      void requestLeave(core, "disconnect");
    },
  });

  const scheduler: LeaveScheduler = {
    get state() {
      return core.state;
    },
    get delayId() {
      return core.delayId;
    },
    get delayMs() {
      return core.delayMs;
    },
    get deadlineTs() {
      return core.proof?.deadlineTs;
    },
    leavePort,

    join(send: SendMembership): Promise<void> {
      if (core.closed) return Promise.reject(superseded(core));
      if (typeof send !== "function") {
        return Promise.reject(
          new LeaveSchedulerError("invalid-options", "join needs a sendMembership function"),
        );
      }
      if (joinPromise) return joinPromise;
      if (core.state !== "idle" && core.state !== "left") {
        return core.state === "leaving"
          ? Promise.reject(new LeaveSchedulerError("invalid-state", "cannot join while leaving"))
          : Promise.resolve();
      }
      core.sendMembership = send;
      core.membershipSent = false;
      core.disconnectReported = false;
      setState(core, "arming");
      core.writesPending += 1;
      const taskEpoch = core.epoch;
      const promise = enqueue(core, async () => {
        try {
          const budget = freshBudget();
          const stored = await storageGet(core);
          checkpoint(core, taskEpoch);
          if (stored !== undefined && stored !== core.delayId) {
            // A previous instance (reloaded page, restarted process) left this behind: cancel it
            // before it knocks our new membership out. 404 is fine.
            if (!(await cancelDelayedLeave(core, stored, budget))) {
              emitError(
                core,
                new LeaveSchedulerError(
                  "request-failed",
                  `could not cancel the stored delayed leave ${stored}`,
                ),
                false,
              );
            }
          }
          await arm(core, taskEpoch, budget);
          advance(core, taskEpoch, "joining");
          for (
            let attempt = 0;
            (await writeMembership(core, taskEpoch, budget)) === "lost";
            attempt += 1
          ) {
            if (attempt >= 2)
              throw new LeaveSchedulerError(
                "request-failed",
                "the delayed leave vanished during the join",
              );
            await arm(core, taskEpoch, budget);
          }
          advance(core, taskEpoch, "joined");
          core.probeDue = true;
          scheduleHeartbeat(core);
        } catch (error) {
          if (core.closed || taskEpoch !== core.epoch) throw superseded(core);
          const wrapped = toSchedulerError(error, "join");
          emitError(core, wrapped, true);
          await runLeave(core, "failure");
          throw wrapped;
        } finally {
          core.writesPending -= 1;
        }
      });
      joinPromise = promise;
      const clear = (): void => {
        if (joinPromise === promise) joinPromise = undefined;
      };
      promise.then(clear, clear);
      return promise;
    },

    update(send: SendMembership): Promise<void> {
      if (core.closed) return Promise.reject(superseded(core));
      if (typeof send !== "function") {
        return Promise.reject(
          new LeaveSchedulerError("invalid-options", "update needs a sendMembership function"),
        );
      }
      if (!writingStates.includes(core.state)) {
        return Promise.reject(
          new LeaveSchedulerError("invalid-state", `cannot update in state ${core.state}`),
        );
      }
      core.sendMembership = send;
      core.writesPending += 1;
      const taskEpoch = core.epoch;
      return enqueue(core, async () => {
        try {
          checkpoint(core, taskEpoch);
          // The queue runs an update only after the heartbeat settled: joined, or left.
          if (core.state !== "joined") {
            throw new LeaveSchedulerError("invalid-state", `cannot update in state ${core.state}`);
          }
          advance(core, taskEpoch, "updating");
          const budget = freshBudget();
          const outcome = (await prove(core, taskEpoch, budget))
            ? await writeMembership(core, taskEpoch, budget)
            : "lost";
          if (outcome === "lost") {
            if (core.delayId !== undefined) await forgetDelayId(core, { stale: true });
            core.membershipSent = false;
            await recover(core, { cause: "delayed-leave-lost" }, taskEpoch);
            if (core.state !== "joined")
              throw new LeaveSchedulerError(
                "superseded",
                "the delayed leave was lost and the scheduler left",
              );
            return;
          }
          advance(core, taskEpoch, "joined");
          core.probeDue = true;
          scheduleHeartbeat(core);
        } catch (error) {
          if (core.closed || taskEpoch !== core.epoch) throw superseded(core);
          const wrapped = toSchedulerError(error, "update");
          if (core.state === "updating") {
            emitError(core, wrapped, false);
            setState(core, "joined");
            scheduleHeartbeat(core);
          }
          throw wrapped;
        } finally {
          core.writesPending -= 1;
        }
      });
    },

    membershipMissing(): void {
      if (core.closed || core.pendingLoss !== undefined || core.writesPending > 0) return;
      if (core.state !== "joined" && core.state !== "probably-left") return;
      requestRecovery(core, { cause: "membership-missing" });
    },

    leave(): Promise<void> {
      return requestLeave(core, "leave");
    },

    close(closeOptions?: { readonly leave?: boolean }): Promise<void> {
      if (closePromise) return closePromise;
      closePromise = (async () => {
        if (closeOptions?.leave !== false) {
          await requestLeave(core, "close").catch(() => undefined);
        }
        core.closed = true;
        core.epoch += 1;
        core.pendingLoss = undefined;
        clearHeartbeatTimer(core);
        core.timers.wake();
        await core.queue;
        clearHeartbeatTimer(core);
        core.timers.wake();
        setState(core, "closed");
        core.emitter.clear();
      })();
      return closePromise;
    },

    on(name, listener) {
      return core.emitter.on(name, listener);
    },
  };
  return scheduler;
}
