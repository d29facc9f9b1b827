import type { DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import {
  DelayedEventConflictError,
  DelayedEventNetworkError,
  DelayedEventNotFoundError,
  DelayedEventRateLimitedError,
  DelayedEventServerError,
  DelayedEventsUnsupportedError,
  DelayTooLongError,
} from "@mxrtc/delayed-events";
import { MatrixError } from "@mxrtc/matrix";
import type { FakeClock } from "./fake-clock.js";

export type Method = "scheduleStateEvent" | "scheduleMessageEvent" | "restart" | "cancel" | "send";

/** A scripted reply: `"ok"` (normal server behaviour), `"hang"` (no reply until aborted), or an error to throw. */
export type Reply =
  | "ok"
  | "hang"
  | { readonly error: unknown }
  | { readonly afterMs: number; readonly reply: Reply };

export interface Call {
  readonly method: Method;
  readonly ts: number;
  readonly delayId?: string;
  readonly delayMs?: number;
}

interface ServerEvent {
  readonly delayId: string;
  readonly delayMs: number;
  runningSinceTs: number;
  status: "scheduled" | "sent" | "cancelled";
}

export const errors = {
  /** A 404 although the event is still scheduled (a proxy, a race on the server). */
  lyingNotFound: () => ({
    error: new DelayedEventNotFoundError("M_NOT_FOUND", { status: 404, errcode: "M_NOT_FOUND" }),
    lie: true,
  }),
  notFound: () => ({
    error: new DelayedEventNotFoundError("M_NOT_FOUND", { status: 404, errcode: "M_NOT_FOUND" }),
  }),
  conflict: () => ({
    error: new DelayedEventConflictError("409", { status: 409, errcode: "M_UNKNOWN" }),
  }),
  tooLong: (maxDelayMs?: number) => ({
    error: new DelayTooLongError(
      "M_MAX_DELAY_EXCEEDED",
      maxDelayMs === undefined ? {} : { maxDelayMs },
    ),
  }),
  rateLimited: (retryAfterMs?: number) => ({
    error: new DelayedEventRateLimitedError(
      "M_LIMIT_EXCEEDED",
      retryAfterMs === undefined ? { status: 429 } : { status: 429, retryAfterMs },
    ),
  }),
  server: (status = 502) => ({ error: new DelayedEventServerError(`HTTP ${status}`, { status }) }),
  forbidden: () => ({
    error: new DelayedEventServerError("M_FORBIDDEN", { status: 403, errcode: "M_FORBIDDEN" }),
  }),
  network: () => ({ error: new DelayedEventNetworkError("connection refused") }),
  unsupported: () => ({ error: new DelayedEventsUnsupportedError("no MSC4140") }),
  matrixRateLimited: (retryAfterMs?: number) => ({
    error: new MatrixError({
      status: 429,
      errcode: "M_LIMIT_EXCEEDED",
      body: {},
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    }),
  }),
  matrix: (status: number) => ({
    error: new MatrixError({ status, errcode: "M_UNKNOWN", body: {} }),
  }),
} as const;

/**
 * A homeserver's delayed events, modelled on the fake clock: events fire at
 * `runningSince + delay`; restart after that is a 404; restart after cancel is a 409.
 */
export function createFakeDelayedEvents(clock: FakeClock, log: string[] = []) {
  const events = new Map<string, ServerEvent>();
  const scripts = new Map<Method, Reply[]>();
  const calls: Call[] = [];
  const fired: { delayId: string; ts: number }[] = [];
  const lastSuccess = new Map<string, { ts: number; delayMs: number }>();
  let counter = 0;
  let fallback: ((call: Call) => Reply) | undefined;

  function settle(): void {
    for (const event of events.values()) {
      if (event.status === "scheduled" && clock.now() >= event.runningSinceTs + event.delayMs) {
        event.status = "sent";
        fired.push({ delayId: event.delayId, ts: event.runningSinceTs + event.delayMs });
      }
    }
  }

  function behave(call: Call): unknown {
    settle();
    if (call.method === "scheduleStateEvent" || call.method === "scheduleMessageEvent") {
      counter += 1;
      const delayId = `delay-${counter}`;
      events.set(delayId, {
        delayId,
        delayMs: call.delayMs ?? 0,
        runningSinceTs: clock.now(),
        status: "scheduled",
      });
      lastSuccess.set(delayId, { ts: clock.now(), delayMs: call.delayMs ?? 0 });
      return { delayId };
    }
    const event = call.delayId === undefined ? undefined : events.get(call.delayId);
    if (!event) throw errors.notFound().error;
    if (call.method === "restart") {
      if (event.status === "sent") throw errors.notFound().error;
      if (event.status === "cancelled") throw errors.conflict().error;
      event.runningSinceTs = clock.now();
      lastSuccess.set(event.delayId, { ts: clock.now(), delayMs: event.delayMs });
      return undefined;
    }
    if (call.method === "cancel") {
      if (event.status === "sent") throw errors.conflict().error;
      event.status = "cancelled";
      return undefined;
    }
    if (event.status === "cancelled") throw errors.conflict().error;
    if (event.status === "scheduled") {
      event.status = "sent";
      fired.push({ delayId: event.delayId, ts: clock.now() });
    }
    return undefined;
  }

  function answer(call: Call, reply: Reply, signal: AbortSignal | undefined): Promise<unknown> {
    if (reply === "ok") {
      try {
        return Promise.resolve(behave(call));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (reply === "hang") {
      return new Promise((_resolve, reject) => {
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    if ("afterMs" in reply) {
      return new Promise((resolve, reject) => {
        clock.setTimeout(() => {
          answer(call, reply.reply, signal).then(resolve, reject);
        }, reply.afterMs);
      });
    }
    // A scripted 404/409 is made true on the server: the event fired (404) or was finalised (409).
    const event = call.delayId === undefined ? undefined : events.get(call.delayId);
    const truthful = !("lie" in reply && reply.lie === true);
    if (
      truthful &&
      event?.status === "scheduled" &&
      DelayedEventNotFoundError.isInstance(reply.error)
    ) {
      event.status = "sent";
      fired.push({ delayId: event.delayId, ts: clock.now() });
    } else if (
      truthful &&
      event?.status === "scheduled" &&
      DelayedEventConflictError.isInstance(reply.error)
    ) {
      event.status = "cancelled";
    }
    return Promise.reject(reply.error);
  }

  function handle(call: Call, signal: AbortSignal | undefined): Promise<unknown> {
    calls.push(call);
    log.push(call.delayId === undefined ? call.method : `${call.method}:${call.delayId}`);
    const queued = scripts.get(call.method);
    const reply = queued?.shift() ?? fallback?.(call) ?? "ok";
    return answer(call, reply, signal);
  }

  const transport: DelayedEventTransportV1 = {
    specificationVersion: "v1",
    scheduleStateEvent: (input) =>
      handle(
        { method: "scheduleStateEvent", ts: clock.now(), delayMs: input.delayMs },
        input.signal,
      ) as Promise<{
        delayId: string;
      }>,
    scheduleMessageEvent: (input) =>
      handle(
        { method: "scheduleMessageEvent", ts: clock.now(), delayMs: input.delayMs },
        input.signal,
      ) as Promise<{
        delayId: string;
      }>,
    restart: (delayId, options) =>
      handle({ method: "restart", ts: clock.now(), delayId }, options?.signal).then(
        () => undefined,
      ),
    cancel: (delayId, options) =>
      handle({ method: "cancel", ts: clock.now(), delayId }, options?.signal).then(() => undefined),
    send: (delayId, options) =>
      handle({ method: "send", ts: clock.now(), delayId }, options?.signal).then(() => undefined),
    listScheduled: async () => [],
    limits: async () => ({ supported: true, api: "unstable" }),
  };

  return {
    transport,
    calls,
    /** Delayed events the server sent (fired on time, or by `send`). */
    fired(): { delayId: string; ts: number }[] {
      settle();
      return [...fired];
    },
    /** Queue replies for the next calls of `method`. */
    script(method: Method, ...replies: Reply[]): void {
      scripts.set(method, [...(scripts.get(method) ?? []), ...replies]);
    },
    /** Reply for calls with no scripted reply (default "ok"). */
    otherwise(reply: ((call: Call) => Reply) | undefined): void {
      fallback = reply;
    },
    /** Pretend a previous instance scheduled this one. */
    seed(delayId: string, delayMs: number): void {
      events.set(delayId, { delayId, delayMs, runningSinceTs: clock.now(), status: "scheduled" });
    },
    /** Is this delayed event scheduled and not yet due on the server? */
    isLive(delayId: string | undefined): boolean {
      settle();
      const event = delayId === undefined ? undefined : events.get(delayId);
      return event !== undefined && event.status === "scheduled";
    },
    status(delayId: string): ServerEvent["status"] | undefined {
      settle();
      return events.get(delayId)?.status;
    },
    /** When the last successful schedule/restart of `delayId` would make it fire. */
    successDeadline(delayId: string | undefined): number | undefined {
      const success = delayId === undefined ? undefined : lastSuccess.get(delayId);
      return success === undefined ? undefined : success.ts + success.delayMs;
    },
    /** The server fires it now, early (seen once in real tests ~1.5 s after a restart). */
    fireNow(delayId: string | undefined): void {
      const event = delayId === undefined ? undefined : events.get(delayId);
      if (event?.status === "scheduled") {
        event.status = "sent";
        fired.push({ delayId: event.delayId, ts: clock.now() });
      }
    },
    /** Scheduled events the server still holds. */
    liveIds(): string[] {
      settle();
      return [...events.values()]
        .filter((event) => event.status === "scheduled")
        .map((event) => event.delayId);
    },
    methods(): Method[] {
      return calls.map((call) => call.method);
    },
    count(method: Method): number {
      return calls.filter((call) => call.method === method).length;
    },
  };
}

export type FakeDelayedEvents = ReturnType<typeof createFakeDelayedEvents>;
