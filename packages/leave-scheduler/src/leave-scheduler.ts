import type { DisconnectReason, LeavePortV1 } from "@mxrtc/focus";
import { classifyFailure, DEFAULT_RATE_LIMIT_WAIT_MS } from "./classify-failure.js";
import { systemClock } from "./clock.js";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";
import {
  createEmitter,
  type LeaveMethod,
  type LeftCause,
  type RejoinCause,
} from "./leave-scheduler-events.js";
import type {
  LeaveScheduler,
  LeaveSchedulerOptions,
  LeaveTarget,
  RejoinContext,
  SendMembership,
} from "./leave-scheduler-options.js";
import { isAllowedTransition, type LeaveSchedulerState } from "./leave-scheduler-state.js";
import { createSchedulerTimers, freshBudget, type RetryBudget } from "./scheduler-timers.js";
import {
  backoffMs,
  MINIMUM_DELAY_MS,
  resolveLeaveTiming,
  restartIntervalForDelay,
  restartTimeoutFor,
} from "./timing.js";

/**
 * The default rejoin policy: rejoin when the delayed leave was lost (the server fired or
 * finalised it) or our membership vanished; leave when a focus reports a disconnect.
 *
 * @example
 * ```ts
 * import { defaultRejoinPolicy } from "@mxrtc/leave-scheduler";
 * defaultRejoinPolicy({ cause: "disconnect", reason: "kicked" }); // false
 * ```
 */
export function defaultRejoinPolicy(context: RejoinContext): boolean {
  return context.cause !== "disconnect";
}

/**
 * The storage key for a leave target: room, event type and state key (or sticky key).
 *
 * @example
 * ```ts
 * delayIdStorageKey({ kind: "state", roomId: "!r:hs", eventType: "t", stateKey: "k", content: {} }); // "!r:hs|t|k"
 * ```
 */
export function delayIdStorageKey(leave: LeaveTarget): string {
  if (leave.kind === "state") return `${leave.roomId}|${leave.eventType}|${leave.stateKey}`;
  const sticky = leave.content.sticky_key ?? leave.content.msc4354_sticky_key;
  return `${leave.roomId}|${leave.eventType}|${typeof sticky === "string" ? sticky : ""}`;
}

interface Proof {
  readonly delayId: string;
  readonly sentTs: number;
  readonly deadlineTs: number;
}

const writingStates: readonly LeaveSchedulerState[] = [
  "arming",
  "joining",
  "joined",
  "updating",
  "probably-left",
  "rearming",
  "rejoining",
];

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
  const timing = resolveLeaveTiming(options);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const transport = options.delayedEvents;
  const leaveTarget = options.leave;
  const storageKey = options.storageKey ?? delayIdStorageKey(leaveTarget);
  const requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
  const membershipTimeoutMs = options.membershipTimeoutMs ?? 5_000;
  const maximumTransient = options.maximumTransientRetries ?? 8;
  const maximumRateLimited = options.maximumRateLimitRetries ?? 10;
  const maximumLowerings = options.maximumDelayLowerings ?? 5;
  const rejoinPolicy = options.rejoin ?? defaultRejoinPolicy;
  const emitter = createEmitter();
  const timers = createSchedulerTimers(clock);

  let state: LeaveSchedulerState = "idle";
  let closed = false;
  let epoch = 0;
  let delayId: string | undefined;
  let delayMs = timing.delayMs;
  let proof: Proof | undefined;
  let membershipSent = false;
  let sendMembership: SendMembership | undefined;
  let roundTripMs: number | undefined;
  let probablyLeft = false;
  let probeDue = false;
  let queue: Promise<unknown> = Promise.resolve();
  let writesPending = 0;
  let heartbeatTimer: unknown;
  let heartbeatQueued = false;
  let pendingLoss: { cause: RejoinCause; reason?: DisconnectReason } | undefined;
  let disconnectReported = false;
  let joinPromise: Promise<void> | undefined;
  let leavePromise: Promise<void> | undefined;
  let closePromise: Promise<void> | undefined;

  // ---- small helpers -------------------------------------------------------------------------

  function setState(to: LeaveSchedulerState): void {
    if (state === to) return;
    const from = state;
    if (!isAllowedTransition(from, to)) {
      emitError(
        new LeaveSchedulerError("invalid-state", `internal: transition ${from} → ${to}`),
        false,
      );
    }
    state = to;
    emitter.emit("state-changed", { from, to });
  }

  function emitError(error: LeaveSchedulerError, fatal: boolean): void {
    if (!closed) emitter.emit("error", { error, fatal });
  }

  function toSchedulerError(error: unknown, what: string): LeaveSchedulerError {
    if (LeaveSchedulerError.isInstance(error)) return error;
    const detail = error instanceof Error ? error.message : String(error);
    return new LeaveSchedulerError("request-failed", `${what} failed: ${detail}`, { cause: error });
  }

  function superseded(): LeaveSchedulerError {
    return closed
      ? new LeaveSchedulerError("closed", "the leave scheduler was closed")
      : new LeaveSchedulerError("superseded", "interrupted by leave()");
  }

  /** Throws when `leave()` or `close()` happened since the task started. */
  function checkpoint(taskEpoch: number): void {
    if (closed || taskEpoch !== epoch) throw superseded();
  }

  function advance(taskEpoch: number, to: LeaveSchedulerState): void {
    checkpoint(taskEpoch);
    setState(to);
  }

  function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = queue.then(task);
    queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async function storageSet(value: string | undefined): Promise<void> {
    if (!options.storage) return;
    try {
      await options.storage.set(storageKey, value);
    } catch (error) {
      emitError(
        new LeaveSchedulerError("storage-failed", "storing the delay id failed", { cause: error }),
        false,
      );
    }
  }

  async function storageGet(): Promise<string | undefined> {
    if (!options.storage) return undefined;
    try {
      const value = await options.storage.get(storageKey);
      return typeof value === "string" && value !== "" ? value : undefined;
    } catch (error) {
      emitError(
        new LeaveSchedulerError("storage-failed", "reading the delay id failed", { cause: error }),
        false,
      );
      return undefined;
    }
  }

  function allowsRejoin(context: RejoinContext): boolean {
    if (rejoinPolicy === "always") return true;
    if (rejoinPolicy === "never") return false;
    try {
      return rejoinPolicy(context) === true;
    } catch {
      return false;
    }
  }

  function enterProbablyLeft(): void {
    if (probablyLeft) return;
    probablyLeft = true;
    if (state === "joined") setState("probably-left");
    emitter.emit("probably-left", {
      probablyLeft: true,
      deadlineTs: proof?.deadlineTs ?? clock.now(),
    });
  }

  function clearProbablyLeft(): void {
    if (state === "probably-left") setState("joined");
    if (!probablyLeft) return;
    probablyLeft = false;
    emitter.emit("probably-left", {
      probablyLeft: false,
      deadlineTs: proof?.deadlineTs ?? clock.now(),
    });
  }

  /** A sent membership must land before the delayed leave could fire. */
  function proofAlive(): boolean {
    const guardMs = Math.min(membershipTimeoutMs, Math.floor(delayMs / 2));
    return (
      proof !== undefined && proof.delayId === delayId && clock.now() < proof.deadlineTs - guardMs
    );
  }

  function onRestarted(id: string, sentTs: number): void {
    if (id !== delayId) return;
    const now = clock.now();
    const sample = Math.max(0, now - sentTs);
    roundTripMs = roundTripMs === undefined ? sample : Math.round(0.7 * roundTripMs + 0.3 * sample);
    proof = { delayId: id, sentTs, deadlineTs: sentTs + delayMs };
    emitter.emit("delayed-leave-restarted", {
      delayId: id,
      deadlineTs: proof.deadlineTs,
      roundTripMs: sample,
    });
    clearProbablyLeft();
  }

  async function adoptDelayId(id: string, sentTs: number): Promise<void> {
    delayId = id;
    proof = { delayId: id, sentTs, deadlineTs: sentTs + delayMs };
    emitter.emit("delayed-leave-scheduled", { delayId: id, delayMs, deadlineTs: proof.deadlineTs });
    clearProbablyLeft();
    if (options.onDelegation) {
      try {
        options.onDelegation({ delayId: id, delayMs, roomId: leaveTarget.roomId });
      } catch (error) {
        emitError(
          new LeaveSchedulerError("delegation-hook-failed", "onDelegation threw", { cause: error }),
          false,
        );
      }
    }
    await storageSet(id);
  }

  async function forgetDelayId(): Promise<void> {
    delayId = undefined;
    proof = undefined;
    await storageSet(undefined);
  }

  /** Waits out a retryable failure or throws when the budget is spent. */
  async function waitToRetry(
    failure: ReturnType<typeof classifyFailure>,
    error: unknown,
    budget: RetryBudget,
    what: string,
  ): Promise<void> {
    if (failure.kind === "superseded") throw error;
    if (failure.kind === "rate-limited") {
      budget.rateLimited += 1;
      if (budget.rateLimited > maximumRateLimited) {
        throw new LeaveSchedulerError(
          "retries-exhausted",
          `${what}: rate limited ${budget.rateLimited} times`,
          { cause: error },
        );
      }
      await timers.sleep(failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS, "operation");
      return;
    }
    if (failure.kind === "transient") {
      budget.transient += 1;
      if (budget.transient > maximumTransient) {
        throw new LeaveSchedulerError(
          "retries-exhausted",
          `${what}: ${budget.transient} network or server errors`,
          { cause: error },
        );
      }
      await timers.sleep(
        backoffMs(budget.transient - 1, random, { baseMs: 500, capMs: 8_000 }),
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

  // ---- requests ------------------------------------------------------------------------------

  function schedule(signal: AbortSignal): Promise<{ readonly delayId: string }> {
    if (leaveTarget.kind === "state") {
      return transport.scheduleStateEvent({
        roomId: leaveTarget.roomId,
        eventType: leaveTarget.eventType,
        stateKey: leaveTarget.stateKey,
        content: leaveTarget.content,
        delayMs,
        signal,
      });
    }
    return transport.scheduleMessageEvent({
      roomId: leaveTarget.roomId,
      eventType: leaveTarget.eventType,
      content: leaveTarget.content,
      delayMs,
      stickyDurationMs: leaveTarget.stickyDurationMs,
      signal,
    });
  }

  async function writeLeaveDirectly(signal: AbortSignal): Promise<void> {
    if (leaveTarget.kind === "state") {
      await options.matrix.sendStateEvent(
        leaveTarget.roomId,
        leaveTarget.eventType,
        leaveTarget.stateKey,
        leaveTarget.content,
        { signal },
      );
    } else {
      await options.matrix.sendEvent(
        leaveTarget.roomId,
        leaveTarget.eventType,
        leaveTarget.content,
        {
          signal,
          stickyDurationMs: leaveTarget.stickyDurationMs,
        },
      );
    }
  }

  /** Cancels a delayed leave; 404/409 mean it is already gone. Returns false if it may remain. */
  async function cancelDelayedLeave(id: string, budget: RetryBudget | undefined): Promise<boolean> {
    for (;;) {
      try {
        await timers.withTimeout(
          (signal) => transport.cancel(id, { signal }),
          requestTimeoutMs,
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
          await waitToRetry(failure, error, budget, "cancel");
        } catch {
          return false;
        }
      }
    }
  }

  /** Arms a new delayed leave (then cancels the one it replaces). */
  async function arm(taskEpoch: number, budget: RetryBudget): Promise<void> {
    const previous = delayId;
    let lowerings = 0;
    for (;;) {
      checkpoint(taskEpoch);
      const sentTs = clock.now();
      try {
        const result = await timers.withTimeout(
          (signal) => schedule(signal),
          requestTimeoutMs,
          "schedule delayed leave",
        );
        // Record first: if leave() interrupted us, its task must still see (and remove) this id.
        await adoptDelayId(result.delayId, sentTs);
        break;
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind !== "delay-too-long") {
          await waitToRetry(failure, error, budget, "schedule delayed leave");
          continue;
        }
        lowerings += 1;
        if (delayMs <= MINIMUM_DELAY_MS || lowerings > maximumLowerings) {
          throw new LeaveSchedulerError(
            "delay-too-long",
            `the server refused a ${delayMs} ms delay after ${lowerings} lowerings`,
            { cause: error },
          );
        }
        const serverMaximum = failure.maxDelayMs;
        const proposed =
          serverMaximum !== undefined && serverMaximum < delayMs
            ? serverMaximum
            : Math.floor(delayMs / 2);
        delayMs = Math.max(MINIMUM_DELAY_MS, Math.floor(proposed));
        // The first lowering to a maximum the server named is retried at once; later ones back off.
        if (lowerings > 1 || serverMaximum === undefined) {
          await timers.sleep(
            backoffMs(lowerings - 1, random, { baseMs: 250, capMs: 4_000 }),
            "operation",
          );
        }
      }
    }
    if (previous !== undefined && previous !== delayId) {
      const gone = await cancelDelayedLeave(previous, freshBudget());
      if (!gone) {
        emitError(
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
  async function prove(taskEpoch: number, budget: RetryBudget): Promise<boolean> {
    for (;;) {
      checkpoint(taskEpoch);
      const id = delayId;
      if (id === undefined) return false;
      const sentTs = clock.now();
      const timeoutMs = restartTimeoutFor({
        maximumMs: timing.restartTimeoutMs,
        roundTripMs,
        remainingMs: (proof?.deadlineTs ?? sentTs) - sentTs,
      });
      try {
        await timers.withTimeout(
          (signal) => transport.restart(id, { signal }),
          timeoutMs,
          "restart",
        );
        onRestarted(id, sentTs);
        return true;
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === "not-found" || failure.kind === "conflict") return false;
        const waitMs =
          failure.kind === "rate-limited"
            ? (failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS)
            : 0;
        if (proof !== undefined && clock.now() + waitMs >= proof.deadlineTs) enterProbablyLeft();
        await waitToRetry(failure, error, budget, "restart");
      }
    }
  }

  /** Sends the membership once a live delayed leave is proven. Returns "lost" if it is gone. */
  async function writeMembership(taskEpoch: number, budget: RetryBudget): Promise<"sent" | "lost"> {
    for (;;) {
      checkpoint(taskEpoch);
      if (!proofAlive() && !(await prove(taskEpoch, budget))) return "lost";
      checkpoint(taskEpoch);
      if (!proofAlive()) continue;
      const send = sendMembership;
      if (send === undefined)
        throw new LeaveSchedulerError("invalid-state", "no sendMembership callback");
      membershipSent = true; // it may land even if the call fails: a later leave must remove it
      try {
        await timers.withTimeout(
          (signal) => send({ signal }),
          membershipTimeoutMs,
          "sendMembership",
        );
        return "sent";
      } catch (error) {
        await waitToRetry(classifyFailure(error), error, budget, "sendMembership");
      }
    }
  }

  // ---- heartbeat -----------------------------------------------------------------------------

  function clearHeartbeatTimer(): void {
    if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
    heartbeatTimer = undefined;
  }

  function scheduleHeartbeat(): void {
    clearHeartbeatTimer();
    if (closed || proof === undefined) return;
    const dueTs = probeDue ? clock.now() : proof.sentTs + restartIntervalForDelay(timing, delayMs);
    heartbeatTimer = clock.setTimeout(onHeartbeatTimer, Math.max(0, dueTs - clock.now()));
  }

  function onHeartbeatTimer(): void {
    heartbeatTimer = undefined;
    if (closed || heartbeatQueued || pendingLoss !== undefined) return;
    if (state !== "joined" && state !== "probably-left") return;
    // A timer that fires after the deadline means the process slept or starved (clock jump): the
    // server has probably fired the leave. Say so before anything else is sent (js-sdk#5522).
    if (proof !== undefined && clock.now() >= proof.deadlineTs) enterProbablyLeft();
    heartbeatQueued = true;
    const taskEpoch = epoch;
    void enqueue(() => heartbeatTask(taskEpoch));
  }

  async function heartbeatTask(taskEpoch: number): Promise<void> {
    heartbeatQueued = false;
    if (closed || taskEpoch !== epoch || pendingLoss !== undefined) return;
    if (state !== "joined" && state !== "probably-left") return;
    const intervalMs = restartIntervalForDelay(timing, delayMs);
    if (!probeDue && proof !== undefined && clock.now() < proof.sentTs + intervalMs) {
      scheduleHeartbeat(); // a write operation restarted it just now
      return;
    }
    let attempt = 0;
    let reportedFailure = false;
    for (;;) {
      const id = delayId;
      if (closed || taskEpoch !== epoch || pendingLoss !== undefined) return;
      if (id === undefined) break;
      const sentTs = clock.now();
      const remainingMs = (proof?.deadlineTs ?? sentTs) - sentTs;
      if (remainingMs <= 0) enterProbablyLeft();
      const timeoutMs = restartTimeoutFor({
        maximumMs: timing.restartTimeoutMs,
        roundTripMs,
        remainingMs,
      });
      try {
        await timers.withTimeout(
          (signal) => transport.restart(id, { signal }),
          timeoutMs,
          "restart",
        );
        onRestarted(id, sentTs);
        if (closed || taskEpoch !== epoch || pendingLoss !== undefined) return;
        probeDue = false;
        scheduleHeartbeat();
        return;
      } catch (error) {
        if (closed || taskEpoch !== epoch || pendingLoss !== undefined) return;
        const failure = classifyFailure(error);
        if (failure.kind === "not-found" || failure.kind === "conflict") {
          if (id === delayId) {
            if (failure.kind === "not-found") membershipSent = false; // the server fired it
            await forgetDelayId();
          }
          break;
        }
        let waitMs: number;
        if (failure.kind === "rate-limited") {
          waitMs = failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS;
        } else {
          if (failure.kind !== "transient" && !reportedFailure) {
            reportedFailure = true;
            emitError(toSchedulerError(error, "restart"), false);
          }
          const overdue = proof === undefined || clock.now() >= proof.deadlineTs;
          waitMs = backoffMs(
            attempt,
            random,
            overdue ? { baseMs: 1_000, capMs: 30_000 } : { baseMs: 250, capMs: 1_000 },
          );
          attempt += 1;
        }
        if (proof === undefined || clock.now() + waitMs >= proof.deadlineTs) enterProbablyLeft();
        await timers.sleep(waitMs, "heartbeat");
      }
    }
    await recover({ cause: "delayed-leave-lost" }, taskEpoch);
  }

  // ---- recovery and leave --------------------------------------------------------------------

  /** The delayed leave is gone, the membership vanished, or a focus disconnected. */
  async function recover(
    loss: { cause: RejoinCause; reason?: DisconnectReason },
    taskEpoch: number,
  ): Promise<void> {
    if (closed || taskEpoch !== epoch) return;
    const context: RejoinContext =
      loss.reason === undefined
        ? { cause: loss.cause }
        : { cause: loss.cause, reason: loss.reason };
    if (loss.cause === "membership-missing") membershipSent = false;
    // A disconnect reaches here only when reportDisconnect already asked the policy.
    if (loss.cause !== "disconnect" && !allowsRejoin(context)) {
      await runLeave(loss.cause);
      return;
    }
    writesPending += 1;
    try {
      emitter.emit("rejoining", context);
      const budget = freshBudget(); // budgets reset on rejoin (js-sdk#5517)
      for (let attempt = 0; ; attempt += 1) {
        advance(taskEpoch, "rearming");
        await arm(taskEpoch, budget);
        advance(taskEpoch, "rejoining");
        if ((await writeMembership(taskEpoch, budget)) === "sent") break;
        if (attempt >= 2)
          throw new LeaveSchedulerError(
            "request-failed",
            "the new delayed leave vanished three times",
          );
      }
      advance(taskEpoch, "joined");
      if (loss.cause === "disconnect") disconnectReported = false;
      probeDue = true;
      scheduleHeartbeat();
    } catch (error) {
      if (closed || taskEpoch !== epoch) return;
      emitError(toSchedulerError(error, "rejoin"), true);
      await runLeave("failure");
    } finally {
      writesPending -= 1;
    }
  }

  /** The leave itself: send the delayed leave, else write the leave directly, then clean up. */
  async function runLeave(cause: LeftCause): Promise<void> {
    setState("leaving");
    clearHeartbeatTimer();
    const id = delayId;
    let method: LeaveMethod = "none";
    if (id !== undefined && !membershipSent) {
      method = "cancelled";
      if (!(await cancelDelayedLeave(id, undefined))) {
        emitError(
          new LeaveSchedulerError(
            "leave-failed",
            `could not cancel the delayed leave ${id}; it fires on its own`,
          ),
          false,
        );
      }
      await forgetDelayId();
    } else if (id !== undefined) {
      try {
        await timers.withTimeout(
          (signal) => transport.send(id, { signal }),
          requestTimeoutMs,
          "send delayed leave",
        );
        method = "delayed-leave-sent";
        await forgetDelayId();
      } catch (sendError) {
        const failure = classifyFailure(sendError);
        const gone = failure.kind === "not-found" || failure.kind === "conflict";
        try {
          await timers.withTimeout(
            (signal) => writeLeaveDirectly(signal),
            requestTimeoutMs,
            "direct leave",
          );
          method = "direct";
          if (!gone) await cancelDelayedLeave(id, undefined);
          await forgetDelayId();
        } catch (directError) {
          method = gone ? "none" : "delayed-leave-pending";
          if (gone) await forgetDelayId();
          emitError(
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
    } else if (membershipSent) {
      try {
        await timers.withTimeout(
          (signal) => writeLeaveDirectly(signal),
          requestTimeoutMs,
          "direct leave",
        );
        method = "direct";
      } catch (directError) {
        emitError(
          new LeaveSchedulerError("leave-failed", "the direct leave failed", {
            cause: directError,
          }),
          false,
        );
      }
    }
    membershipSent = false;
    proof = undefined;
    probablyLeft = false;
    probeDue = false;
    setState("left");
    emitter.emit("left", { method, cause });
  }

  function requestLeave(cause: LeftCause): Promise<void> {
    if (leavePromise) return leavePromise;
    if (closed || !writingStates.includes(state)) return Promise.resolve();
    epoch += 1;
    pendingLoss = undefined;
    clearHeartbeatTimer();
    timers.wake();
    setState("leaving");
    const promise = enqueue(() => runLeave(cause)).finally(() => {
      if (leavePromise === promise) leavePromise = undefined;
    });
    leavePromise = promise;
    return promise;
  }

  function requestRecovery(loss: { cause: RejoinCause; reason?: DisconnectReason }): void {
    pendingLoss = loss;
    clearHeartbeatTimer();
    timers.wake("heartbeat");
    const taskEpoch = epoch;
    void enqueue(async () => {
      const current = pendingLoss;
      pendingLoss = undefined;
      if (current !== undefined) await recover(current, taskEpoch);
    });
  }

  // ---- public surface ------------------------------------------------------------------------

  const leavePort: LeavePortV1 = Object.freeze({
    specificationVersion: "v1" as const,
    reportDisconnect(input: {
      readonly reason: DisconnectReason;
      readonly message?: string;
      readonly cause?: unknown;
    }): void {
      if (closed || disconnectReported || !writingStates.includes(state)) return;
      disconnectReported = true;
      const reason: DisconnectReason = typeof input?.reason === "string" ? input.reason : "unknown";
      if (allowsRejoin({ cause: "disconnect", reason })) {
        if (pendingLoss === undefined && writesPending === 0)
          requestRecovery({ cause: "disconnect", reason });
        return;
      }
      void requestLeave("disconnect");
    },
  });

  const scheduler: LeaveScheduler = {
    get state() {
      return state;
    },
    get delayId() {
      return delayId;
    },
    get delayMs() {
      return delayMs;
    },
    get deadlineTs() {
      return proof?.deadlineTs;
    },
    leavePort,

    join(send: SendMembership): Promise<void> {
      if (closed) return Promise.reject(superseded());
      if (typeof send !== "function") {
        return Promise.reject(
          new LeaveSchedulerError("invalid-options", "join needs a sendMembership function"),
        );
      }
      if (joinPromise) return joinPromise;
      if (state !== "idle" && state !== "left") {
        return state === "leaving"
          ? Promise.reject(new LeaveSchedulerError("invalid-state", "cannot join while leaving"))
          : Promise.resolve();
      }
      sendMembership = send;
      membershipSent = false;
      disconnectReported = false;
      setState("arming");
      writesPending += 1;
      const taskEpoch = epoch;
      const promise = enqueue(async () => {
        try {
          const budget = freshBudget();
          const stored = await storageGet();
          checkpoint(taskEpoch);
          if (stored !== undefined && stored !== delayId) {
            // A previous instance (reloaded page, restarted process) left this behind: cancel it
            // before it knocks our new membership out. 404 is fine.
            if (!(await cancelDelayedLeave(stored, budget))) {
              emitError(
                new LeaveSchedulerError(
                  "request-failed",
                  `could not cancel the stored delayed leave ${stored}`,
                ),
                false,
              );
            }
          }
          await arm(taskEpoch, budget);
          advance(taskEpoch, "joining");
          for (
            let attempt = 0;
            (await writeMembership(taskEpoch, budget)) === "lost";
            attempt += 1
          ) {
            if (attempt >= 2)
              throw new LeaveSchedulerError(
                "request-failed",
                "the delayed leave vanished during the join",
              );
            await arm(taskEpoch, budget);
          }
          advance(taskEpoch, "joined");
          probeDue = true;
          scheduleHeartbeat();
        } catch (error) {
          if (closed || taskEpoch !== epoch) throw superseded();
          const wrapped = toSchedulerError(error, "join");
          emitError(wrapped, true);
          await runLeave("failure");
          throw wrapped;
        } finally {
          writesPending -= 1;
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
      if (closed) return Promise.reject(superseded());
      if (typeof send !== "function") {
        return Promise.reject(
          new LeaveSchedulerError("invalid-options", "update needs a sendMembership function"),
        );
      }
      if (!writingStates.includes(state)) {
        return Promise.reject(
          new LeaveSchedulerError("invalid-state", `cannot update in state ${state}`),
        );
      }
      sendMembership = send;
      writesPending += 1;
      const taskEpoch = epoch;
      return enqueue(async () => {
        try {
          checkpoint(taskEpoch);
          // The queue runs an update only after the heartbeat settled: joined, or left.
          if (state !== "joined") {
            throw new LeaveSchedulerError("invalid-state", `cannot update in state ${state}`);
          }
          advance(taskEpoch, "updating");
          const budget = freshBudget();
          const outcome = (await prove(taskEpoch, budget))
            ? await writeMembership(taskEpoch, budget)
            : "lost";
          if (outcome === "lost") {
            if (delayId !== undefined) await forgetDelayId();
            membershipSent = false;
            await recover({ cause: "delayed-leave-lost" }, taskEpoch);
            if (state !== "joined")
              throw new LeaveSchedulerError(
                "superseded",
                "the delayed leave was lost and the scheduler left",
              );
            return;
          }
          advance(taskEpoch, "joined");
          probeDue = true;
          scheduleHeartbeat();
        } catch (error) {
          if (closed || taskEpoch !== epoch) throw superseded();
          const wrapped = toSchedulerError(error, "update");
          if (state === "updating") {
            emitError(wrapped, false);
            setState("joined");
            scheduleHeartbeat();
          }
          throw wrapped;
        } finally {
          writesPending -= 1;
        }
      });
    },

    membershipMissing(): void {
      if (closed || pendingLoss !== undefined || writesPending > 0) return;
      if (state !== "joined" && state !== "probably-left") return;
      requestRecovery({ cause: "membership-missing" });
    },

    leave(): Promise<void> {
      return requestLeave("leave");
    },

    close(closeOptions?: { readonly leave?: boolean }): Promise<void> {
      if (closePromise) return closePromise;
      closePromise = (async () => {
        if (closeOptions?.leave !== false) {
          await requestLeave("close").catch(() => undefined);
        }
        closed = true;
        epoch += 1;
        pendingLoss = undefined;
        clearHeartbeatTimer();
        timers.wake();
        await queue;
        clearHeartbeatTimer();
        timers.wake();
        setState("closed");
        emitter.clear();
      })();
      return closePromise;
    },

    on(name, listener) {
      return emitter.on(name, listener);
    },
  };
  return scheduler;
}
