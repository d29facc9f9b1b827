import {
  type ClientEvent,
  MatrixError,
  type MatrixPort,
  type MatrixRequest,
  type SendOptions,
  type SyncBatch,
  type SyncRoomUpdate,
} from "@mxrtc/matrix";

/** One recorded send. */
export interface SentEvent {
  readonly kind: "state" | "message";
  readonly roomId: string;
  readonly eventType: string;
  readonly stateKey?: string;
  readonly content: Record<string, unknown>;
  readonly options?: SendOptions;
  readonly eventId: string;
  readonly ts: number;
}

export interface FakeMatrixOptions {
  readonly userId?: string;
  readonly deviceId?: string;
  /** Shared ordered log of calls (with the fake delayed-event transport). */
  readonly log?: string[];
  readonly unstableFeatures?: Record<string, boolean>;
  /** Answer for `request` (GET path → body, or an error to throw). */
  readonly requests?: Record<string, unknown>;
}

/**
 * A scripted MatrixPort: sync batches are pushed by the test; sends are recorded, answered with
 * event ids, and optionally refused.
 */
export function createFakeMatrix(options: FakeMatrixOptions = {}) {
  const userId = options.userId ?? "@alice:example.org";
  const deviceId = options.deviceId ?? "ALICEDEV";
  const log = options.log ?? [];
  const sent: SentEvent[] = [];
  const queue: SyncBatch[] = [];
  const toDeviceSent: { eventType: string; messages: unknown }[] = [];
  let wake: (() => void) | undefined;
  let counter = 0;
  let refuseSends: unknown;
  let syncCalls = 0;

  const record = (event: Omit<SentEvent, "eventId" | "ts">) => {
    if (refuseSends !== undefined) throw refuseSends;
    counter += 1;
    const entry: SentEvent = { ...event, eventId: `$sent${counter}`, ts: Date.now() };
    sent.push(entry);
    return { eventId: entry.eventId };
  };

  const port: MatrixPort = {
    baseUrl: "https://hs.example.org",
    async whoami() {
      return { userId, deviceId };
    },
    async versions() {
      return { versions: ["v1.11"], unstableFeatures: options.unstableFeatures ?? {} };
    },
    async capabilities() {
      return {};
    },
    async sendEvent(roomId, eventType, content, sendOptions) {
      log.push(`send ${eventType}`);
      return record({
        kind: "message",
        roomId,
        eventType,
        content,
        ...(sendOptions && { options: sendOptions }),
      });
    },
    async sendStateEvent(roomId, eventType, stateKey, content, sendOptions) {
      log.push(`state ${eventType} ${stateKey}`);
      return record({
        kind: "state",
        roomId,
        eventType,
        stateKey,
        content,
        ...(sendOptions && { options: sendOptions }),
      });
    },
    async getRoomState() {
      return [];
    },
    sync(syncOptions) {
      syncCalls += 1;
      const signal = syncOptions?.signal;
      return {
        async *[Symbol.asyncIterator]() {
          while (!signal?.aborted) {
            const next = queue.shift();
            if (next !== undefined) {
              yield next;
              continue;
            }
            await new Promise<void>((resolve) => {
              wake = resolve;
              signal?.addEventListener("abort", () => resolve(), { once: true });
            });
          }
        },
      };
    },
    async sendToDevice(eventType, messages) {
      toDeviceSent.push({ eventType, messages });
    },
    async requestOpenIdToken() {
      return {
        access_token: "openid",
        token_type: "Bearer",
        matrix_server_name: "example.org",
        expires_in: 3600,
      };
    },
    async request<T>(request: MatrixRequest): Promise<T> {
      log.push(`request ${request.method} ${request.path}`);
      const answer = options.requests?.[request.path];
      if (answer === undefined) {
        throw new MatrixError({ status: 404, errcode: "M_NOT_FOUND", body: {} });
      }
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };

  return {
    port,
    userId,
    deviceId,
    sent,
    log,
    toDeviceSent,
    get syncCalls() {
      return syncCalls;
    },
    /** Make every send fail with `error` (undefined: succeed again). */
    refuseSends(error: unknown) {
      refuseSends = error;
    },
    /** Build a batch for one room. */
    batch(
      roomId: string,
      room: Partial<SyncRoomUpdate>,
      extra: { initial?: boolean; toDevice?: SyncBatch["toDevice"] } = {},
    ): SyncBatch {
      return {
        nextBatch: `s${counter++}`,
        initial: extra.initial ?? false,
        receivedTs: Date.now(),
        rooms: {
          [roomId]: {
            membership: "join",
            state: room.state ?? [],
            timeline: room.timeline ?? [],
            sticky: room.sticky ?? [],
          },
        },
        toDevice: extra.toDevice ?? [],
      };
    },
    /** Queue a batch for the owned sync loop. */
    push(batch: SyncBatch) {
      queue.push(batch);
      wake?.();
    },
    /** Our sent events as the server would echo them in sync (timeline). */
    echo(events: readonly SentEvent[] = sent): ClientEvent[] {
      return events.map((event) => ({
        type: event.eventType,
        event_id: event.eventId,
        sender: userId,
        origin_server_ts: event.ts,
        content: event.content,
        ...(event.stateKey !== undefined && { state_key: event.stateKey }),
        ...(event.kind === "message" && {
          msc4354_sticky: { duration_ms: event.options?.stickyDurationMs ?? 0 },
        }),
      }));
    },
  };
}

export type FakeMatrix = ReturnType<typeof createFakeMatrix>;
