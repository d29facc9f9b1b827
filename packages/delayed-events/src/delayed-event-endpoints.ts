import type { MatrixRequest } from "@mxrtc/matrix";

/** Prefix of the unstable management and listing endpoints (Synapse). */
export const UNSTABLE_PREFIX = "/_matrix/client/unstable/org.matrix.msc4140";
/** Query parameter of the unstable scheduling form. */
export const UNSTABLE_DELAY_QUERY = "org.matrix.msc4140.delay";
/** Query parameter of MSC4354 sticky events (unstable; what Synapse reads). */
export const STICKY_DURATION_QUERY = "org.matrix.msc4354.sticky_duration_ms";

/** A management action. */
export type DelayedEventAction = "restart" | "cancel" | "send";

/** One way of making a call, tried in order until the server recognises one. */
export interface EndpointForm<Input> {
  /** Stable name, used to remember what works and in diagnostics. */
  readonly name: string;
  readonly build: (input: Input) => MatrixRequest;
}

const encode = encodeURIComponent;

/** What scheduling needs, whichever form carries it. */
export interface ScheduleRequestInput {
  readonly roomId: string;
  readonly eventType: string;
  readonly stateKey?: string;
  readonly content: Record<string, unknown>;
  readonly delayMs: number;
  readonly stickyDurationMs?: number;
  readonly txnId: string;
}

function stickyQuery(input: ScheduleRequestInput): Record<string, number> {
  return input.stickyDurationMs === undefined
    ? {}
    : { [STICKY_DURATION_QUERY]: input.stickyDurationMs };
}

/**
 * Merged MSC4140: `PUT /_matrix/client/v3/rooms/{roomId}/delayed_event/{eventType}/{txnId}`.
 * The body carries the delay as both `delay_ms` (MSC head, 2026-07) and `delay` (2026-03 text and
 * the merged text): the revisions disagree on the name and servers ignore unknown fields.
 */
export const stableSchedule: EndpointForm<ScheduleRequestInput> = {
  name: "stable",
  build: (input) => ({
    method: "PUT",
    path: `/_matrix/client/v3/rooms/${encode(input.roomId)}/delayed_event/${encode(input.eventType)}/${encode(input.txnId)}`,
    query: stickyQuery(input),
    body: {
      delay_ms: input.delayMs,
      delay: input.delayMs,
      ...(input.stateKey === undefined ? {} : { state_key: input.stateKey }),
      content: input.content,
    },
  }),
};

/** Deployed Synapse: the normal `/state` or `/send` PUT with `?org.matrix.msc4140.delay=`. */
export const unstableSchedule: EndpointForm<ScheduleRequestInput> = {
  name: "unstable-query",
  build: (input) => ({
    method: "PUT",
    path:
      input.stateKey === undefined
        ? `/_matrix/client/v3/rooms/${encode(input.roomId)}/send/${encode(input.eventType)}/${encode(input.txnId)}`
        : `/_matrix/client/v3/rooms/${encode(input.roomId)}/state/${encode(input.eventType)}/${encode(input.stateKey)}`,
    query: { [UNSTABLE_DELAY_QUERY]: input.delayMs, ...stickyQuery(input) },
    body: input.content,
  }),
};

/** What a management call needs. */
export interface ManageRequestInput {
  readonly delayId: string;
  readonly action: DelayedEventAction;
}

/** Merged MSC4140: `POST /_matrix/client/v1/delayed_events/{delayId}/{action}` with `{}`. */
export const stableManage: EndpointForm<ManageRequestInput> = {
  name: "stable",
  build: ({ delayId, action }) => ({
    method: "POST",
    path: `/_matrix/client/v1/delayed_events/${encode(delayId)}/${action}`,
    body: {},
  }),
};

/** Synapse (and MSC 2025-10+ unstable): `POST …/unstable/org.matrix.msc4140/delayed_events/{delayId}/{action}`. */
export const unstablePathManage: EndpointForm<ManageRequestInput> = {
  name: "unstable-path",
  build: ({ delayId, action }) => ({
    method: "POST",
    path: `${UNSTABLE_PREFIX}/delayed_events/${encode(delayId)}/${action}`,
    body: {},
  }),
};

/** Older Synapse (MSC 2024-07…2025-07): `POST …/delayed_events/{delayId}` with `{"action": …}`. */
export const unstableBodyManage: EndpointForm<ManageRequestInput> = {
  name: "unstable-body",
  build: ({ delayId, action }) => ({
    method: "POST",
    path: `${UNSTABLE_PREFIX}/delayed_events/${encode(delayId)}`,
    body: { action },
  }),
};

/** What a listing call needs. */
export interface ListRequestInput {
  /** Pagination token from the previous page. */
  readonly from?: string;
}

function fromQuery(input: ListRequestInput): Record<string, string> {
  return input.from === undefined ? {} : { from: input.from };
}

/** Merged MSC4140: `GET /_matrix/client/v1/delayed_events?status=scheduled` (2025-10 needs `status`). */
export const stableList: EndpointForm<ListRequestInput> = {
  name: "stable",
  build: (input) => ({
    method: "GET",
    path: "/_matrix/client/v1/delayed_events",
    query: { status: "scheduled", ...fromQuery(input) },
  }),
};

/** Synapse: `GET …/unstable/org.matrix.msc4140/delayed_events` (scheduled only). */
export const unstableList: EndpointForm<ListRequestInput> = {
  name: "unstable",
  build: (input) => ({
    method: "GET",
    path: `${UNSTABLE_PREFIX}/delayed_events`,
    query: fromQuery(input),
  }),
};

/** MSC 2025-07: `GET …/unstable/org.matrix.msc4140/delayed_events/scheduled`. */
export const unstableScheduledList: EndpointForm<ListRequestInput> = {
  name: "unstable-scheduled",
  build: (input) => ({
    method: "GET",
    path: `${UNSTABLE_PREFIX}/delayed_events/scheduled`,
    query: fromQuery(input),
  }),
};

/** The forms to try, in order, per API family. */
export const endpointForms = {
  schedule: { stable: [stableSchedule, unstableSchedule], unstable: [unstableSchedule] },
  manage: {
    stable: [stableManage, unstablePathManage, unstableBodyManage],
    unstable: [unstablePathManage, unstableBodyManage],
  },
  list: {
    stable: [stableList, unstableList, unstableScheduledList],
    unstable: [unstableList, unstableScheduledList],
  },
} as const;
