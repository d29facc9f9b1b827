import { createDelayedEventTransport, type DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import { createLeaveScheduler, type LeaveScheduler } from "@mxrtc/leave-scheduler";
import { createMatrixClient, type MatrixPort } from "@mxrtc/matrix";
import {
  CALL_MEMBER_EVENT_TYPE,
  legacyCallMemberContent,
  legacyCallStateKey,
} from "./legacy-call-membership.js";

export { CALL_MEMBER_EVENT_TYPE, legacyCallMemberContent, legacyCallStateKey };

/** What a member needs to join: an account on the homeserver and the call room. */
export interface CallMemberOptions {
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  /** Delay of the delayed leave; undefined = the scheduler's default. */
  readonly delayMs?: number;
  readonly restartIntervalMs?: number;
  readonly restartTimeoutMs?: number;
  readonly fetch?: typeof fetch;
  readonly requestTimeoutMs?: number;
  /**
   * Run a /sync loop (through the same fetch) and tell the scheduler when our own membership
   * vanished (the session's job in the real SDK). Default false.
   */
  readonly watchOwnMembership?: boolean;
  /** Called with each scheduler event as it happens. */
  readonly onEvent?: (record: MemberEventRecord) => void;
}

/** One scheduler event with the time it was emitted. */
export interface MemberEventRecord {
  readonly name: string;
  readonly ts: number;
  readonly detail?: string;
}

/** A call member driven by the real matrix client, delayed-event transport and leave scheduler. */
export interface CallMember {
  readonly matrix: MatrixPort;
  readonly delayedEvents: DelayedEventTransportV1;
  readonly scheduler: LeaveScheduler;
  readonly stateKey: string;
  readonly events: readonly MemberEventRecord[];
  /** Times our own sync saw our membership vanish (only with watchOwnMembership). */
  readonly sawOwnMembershipVanish: readonly number[];
  join(): Promise<void>;
  leave(): Promise<void>;
  /** Stops the scheduler and the sync loop without leaving. */
  close(): Promise<void>;
}

const schedulerEventNames = [
  "delayed-leave-scheduled",
  "delayed-leave-restarted",
  "probably-left",
  "rejoining",
  "state-changed",
  "error",
  "left",
] as const;

function describe(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Creates an in-process call member (legacy dialect) without joining yet.
 *
 * @example
 * ```ts
 * const member = createCallMember({ baseUrl, accessToken, userId, deviceId, roomId, delayMs: 8000 });
 * await member.join();
 * ```
 */
export function createCallMember(options: CallMemberOptions): CallMember {
  const matrixOptions: Parameters<typeof createMatrixClient>[0] = {
    baseUrl: options.baseUrl,
    accessToken: options.accessToken,
    userId: options.userId,
    deviceId: options.deviceId,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.requestTimeoutMs === undefined
      ? {}
      : { defaultTimeoutMs: options.requestTimeoutMs }),
  };
  const matrix = createMatrixClient(matrixOptions);
  const delayedEvents = createDelayedEventTransport({ matrix });
  const stateKey = legacyCallStateKey(options.userId, options.deviceId);
  const scheduler = createLeaveScheduler({
    delayedEvents,
    matrix,
    leave: {
      kind: "state",
      roomId: options.roomId,
      eventType: CALL_MEMBER_EVENT_TYPE,
      stateKey,
      content: {},
    },
    rejoin: "always",
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
    ...(options.restartIntervalMs === undefined
      ? {}
      : { restartIntervalMs: options.restartIntervalMs }),
    ...(options.restartTimeoutMs === undefined
      ? {}
      : { restartTimeoutMs: options.restartTimeoutMs }),
  });
  const events: MemberEventRecord[] = [];
  for (const name of schedulerEventNames) {
    scheduler.on(name, (payload: unknown) => {
      const detail = describe(payload);
      const record =
        detail === undefined ? { name, ts: Date.now() } : { name, ts: Date.now(), detail };
      events.push(record);
      options.onEvent?.(record);
    });
  }
  const content = legacyCallMemberContent(options);
  const sendMembership = async (context: { readonly signal: AbortSignal }) => {
    await matrix.sendStateEvent(options.roomId, CALL_MEMBER_EVENT_TYPE, stateKey, content, {
      signal: context.signal,
    });
  };

  const syncController = new AbortController();
  const sawOwnMembershipVanish: number[] = [];
  const seenEventIds = new Set<string>();
  let wantJoined = false;
  let syncing: Promise<void> | undefined;
  const watchOwn = async () => {
    try {
      for await (const batch of matrix.sync({
        signal: syncController.signal,
        timeoutMs: 5_000,
        filter: {
          presence: { not_types: ["*"] },
          room: {
            rooms: [options.roomId],
            state: { types: [CALL_MEMBER_EVENT_TYPE] },
            timeline: { types: [CALL_MEMBER_EVENT_TYPE], limit: 50 },
          },
        },
      })) {
        const room = batch.rooms[options.roomId];
        if (room === undefined) continue;
        // Only the batch's last word on our state key counts (a rejoin may follow the leave), and
        // an event we already saw that comes back in the `state` block is not news (Synapse sends
        // such stale state in incremental syncs).
        const ours = [
          ...room.state.filter((event) => !seenEventIds.has(event.event_id)),
          ...room.timeline,
        ].filter((event) => event.type === CALL_MEMBER_EVENT_TYPE && event.state_key === stateKey);
        for (const event of ours) seenEventIds.add(event.event_id);
        const last = ours.at(-1);
        if (last === undefined || batch.initial || !wantJoined) continue;
        if (typeof last.content.application !== "string") {
          sawOwnMembershipVanish.push(Date.now());
          scheduler.membershipMissing();
        }
      }
    } catch (error) {
      if (!syncController.signal.aborted) {
        events.push({ name: "own-sync-ended", ts: Date.now(), detail: describe(error) ?? "" });
      }
    }
  };

  return {
    matrix,
    delayedEvents,
    scheduler,
    stateKey,
    events,
    sawOwnMembershipVanish,
    async join() {
      wantJoined = true;
      await scheduler.join(sendMembership);
      if (options.watchOwnMembership === true && syncing === undefined) syncing = watchOwn();
    },
    async leave() {
      wantJoined = false;
      await scheduler.leave();
      syncController.abort();
      await syncing;
    },
    async close() {
      wantJoined = false;
      syncController.abort();
      await scheduler.close();
      await syncing;
    },
  };
}
