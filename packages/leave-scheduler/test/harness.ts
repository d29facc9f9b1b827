import { vi } from "vitest";
import { createLeaveScheduler } from "../src/leave-scheduler.js";
import type {
  LeaveSchedulerEventMap,
  LeaveSchedulerEventName,
} from "../src/leave-scheduler-events.js";
import type {
  LeaveScheduler,
  LeaveSchedulerOptions,
  LeaveTarget,
} from "../src/leave-scheduler-options.js";
import type { LeaveSchedulerState } from "../src/leave-scheduler-state.js";
import { createFakeClock } from "./fake-clock.js";
import { createFakeDelayedEvents, type Reply } from "./fake-delayed-events.js";

export const ROOM_ID = "!call:example.org";
export const STATE_LEAVE: LeaveTarget = {
  kind: "state",
  roomId: ROOM_ID,
  eventType: "org.matrix.msc3401.call.member",
  stateKey: "_@alice:example.org_DEVICE_m.call",
  content: {},
};

export interface RecordedEvent {
  readonly name: LeaveSchedulerEventName;
  readonly ts: number;
  readonly payload: unknown;
}

/** A scheduler wired to a fake clock, a fake homeserver and a recording sendMembership. */
export function createHarness(overrides: Partial<LeaveSchedulerOptions> = {}) {
  const clock = createFakeClock();
  const log: string[] = [];
  const server = createFakeDelayedEvents(clock, log);
  const membershipReplies: Reply[] = [];
  const matrixReplies: Reply[] = [];
  /** Each membership write, with whether a live delayed leave of ours backed it at that moment. */
  const membershipWrites: {
    ts: number;
    delayId: string | undefined;
    backed: boolean;
    successDeadlineTs: number | undefined;
  }[] = [];
  const directLeaves: { ts: number; eventType: string; content: Record<string, unknown> }[] = [];

  function reply(queue: Reply[], signal: AbortSignal | undefined): Promise<void> {
    const next = queue.shift() ?? "ok";
    if (next === "ok") return Promise.resolve();
    if (next === "hang") {
      return new Promise((_resolve, reject) => {
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    if ("afterMs" in next) {
      return new Promise((resolve, reject) => {
        clock.setTimeout(() => {
          queue.unshift(next.reply);
          reply(queue, signal).then(resolve, reject);
        }, next.afterMs);
      });
    }
    return Promise.reject(next.error);
  }

  const matrix = {
    sendStateEvent: vi.fn(
      async (
        _roomId: string,
        eventType: string,
        _stateKey: string,
        content: Record<string, unknown>,
        options?: { signal?: AbortSignal },
      ) => {
        log.push("direct-leave");
        directLeaves.push({ ts: clock.now(), eventType, content });
        await reply(matrixReplies, options?.signal);
        return { eventId: "$leave" };
      },
    ),
    sendEvent: vi.fn(
      async (
        _roomId: string,
        eventType: string,
        content: Record<string, unknown>,
        options?: { signal?: AbortSignal },
      ) => {
        log.push("direct-leave");
        directLeaves.push({ ts: clock.now(), eventType, content });
        await reply(matrixReplies, options?.signal);
        return { eventId: "$leave" };
      },
    ),
  };

  let scheduler: LeaveScheduler | undefined;
  const sendMembership = vi.fn(async ({ signal }: { signal: AbortSignal }) => {
    const delayId = scheduler?.delayId;
    log.push("membership");
    membershipWrites.push({
      ts: clock.now(),
      delayId,
      backed: server.isLive(delayId),
      successDeadlineTs: server.successDeadline(delayId),
    });
    await reply(membershipReplies, signal);
  });

  const created = createLeaveScheduler({
    delayedEvents: server.transport,
    matrix,
    leave: STATE_LEAVE,
    clock,
    random: () => 0,
    ...overrides,
  });
  scheduler = created;

  const events: RecordedEvent[] = [];
  const transitions: [LeaveSchedulerState, LeaveSchedulerState][] = [];
  const names: LeaveSchedulerEventName[] = [
    "state-changed",
    "delayed-leave-scheduled",
    "delayed-leave-restarted",
    "probably-left",
    "rejoining",
    "error",
    "left",
  ];
  for (const name of names) {
    created.on(name, (payload: LeaveSchedulerEventMap[typeof name]) => {
      events.push({ name, ts: clock.now(), payload });
      if (name === "state-changed") {
        const change = payload as LeaveSchedulerEventMap["state-changed"];
        transitions.push([change.from, change.to]);
        log.push(`state:${change.to}`);
      }
    });
  }

  return {
    scheduler: created,
    clock,
    server,
    matrix,
    log,
    sendMembership,
    membershipWrites,
    directLeaves,
    events,
    transitions,
    /** Queue replies for the next sendMembership calls. */
    scriptMembership: (...replies: Reply[]) => membershipReplies.push(...replies),
    /** Queue replies for the next direct leave writes. */
    scriptMatrix: (...replies: Reply[]) => matrixReplies.push(...replies),
    /** Recorded payloads of one event. */
    payloads<Name extends LeaveSchedulerEventName>(name: Name): LeaveSchedulerEventMap[Name][] {
      return events
        .filter((event) => event.name === name)
        .map((event) => event.payload as LeaveSchedulerEventMap[Name]);
    },
    /** Only the request/membership entries of the log (no state changes). */
    requests(): string[] {
      return log.filter((entry) => !entry.startsWith("state:"));
    },
    /** join() and let everything settle. */
    async joined(): Promise<void> {
      const joining = created.join(sendMembership);
      await clock.advance(0);
      await joining;
      await clock.advance(0);
    },
  };
}

export type Harness = ReturnType<typeof createHarness>;
