/**
 * `@mxrtc/delayed-events`: MSC4140 delayed events over a `MatrixPort`: schedule, restart,
 * cancel, send and list, in every deployed dialect, with typed errors.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 * @packageDocumentation
 */

export {
  createDelayedEventTransport,
  type DelayedEventTransportOptions,
} from "./create-delayed-event-transport.js";
export {
  type DelayedEventAction,
  STICKY_DURATION_QUERY,
  UNSTABLE_DELAY_QUERY,
  UNSTABLE_PREFIX,
} from "./delayed-event-endpoints.js";
export {
  DelayedEventConflictError,
  DelayedEventError,
  type DelayedEventErrorCode,
  type DelayedEventErrorOptions,
  DelayedEventInputError,
  DelayedEventNetworkError,
  DelayedEventNotFoundError,
  DelayedEventRateLimitedError,
  DelayedEventResponseError,
  DelayedEventServerError,
  DelayedEventsUnsupportedError,
  DelayTooLongError,
  TooManyDelayedEventsError,
} from "./delayed-event-error.js";
export type {
  DelayedEventLimits,
  DelayedEventTransportV1,
  ScheduledDelayedEvent,
  ScheduleMessageEventInput,
  ScheduleStateEventInput,
} from "./delayed-event-transport.js";
export {
  DEFAULT_STABLE_SINCE_SPEC_VERSION,
  type DelayedEventsApi,
  detectDelayedEventsApi,
  STABLE_DELAYED_EVENTS_FEATURE,
  UNSTABLE_DELAYED_EVENTS_FEATURE,
} from "./delayed-events-api.js";
export {
  type ParsedDelayedEventLimits,
  parseDelayedEventLimits,
  STABLE_DELAYED_EVENTS_CAPABILITY,
  UNSTABLE_DELAYED_EVENTS_CAPABILITY,
} from "./parse-delayed-event-limits.js";
export {
  parseScheduledDelayedEvent,
  parseScheduledDelayedEventsPage,
  type ScheduledDelayedEventsPage,
  type ScheduledDelayedEventsPageError,
} from "./parse-scheduled-delayed-events.js";
