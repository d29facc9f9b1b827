import type { RequestOptions } from "@mxrtc/matrix";

/**
 * Input of {@link DelayedEventTransportV1.scheduleStateEvent}.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface ScheduleStateEventInput extends RequestOptions {
  /** Room to send the state event into. */
  readonly roomId: string;
  /** Event type, e.g. `org.matrix.msc3401.call.member`. */
  readonly eventType: string;
  /** State key (may be the empty string). */
  readonly stateKey: string;
  /** Event content sent when the delay runs out. */
  readonly content: Record<string, unknown>;
  /** Delay in milliseconds; a positive whole number. */
  readonly delayMs: number;
}

/**
 * Input of {@link DelayedEventTransportV1.scheduleMessageEvent}.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354 (sticky events)
 */
export interface ScheduleMessageEventInput extends RequestOptions {
  /** Room to send the event into. */
  readonly roomId: string;
  /** Event type, e.g. `org.matrix.msc4143.rtc.member`. */
  readonly eventType: string;
  /** Event content sent when the delay runs out. */
  readonly content: Record<string, unknown>;
  /** Delay in milliseconds; a positive whole number. */
  readonly delayMs: number;
  /** Make the event sticky (MSC4354) for this long once sent; sent as `org.matrix.msc4354.sticky_duration_ms`. */
  readonly stickyDurationMs?: number;
  /** Transaction id; default: a fresh random id per call. */
  readonly txnId?: string;
}

/**
 * One delayed event the server has scheduled for the current user.
 *
 * @remarks Normalised from every listing shape: Synapse's `delay` / `running_since`, the head
 * MSC's `delay_ms` / `scheduled_at`, and the 2025-07 `scheduled` form.
 */
export interface ScheduledDelayedEvent {
  /** The server's opaque id of the delayed event. */
  readonly delayId: string;
  /** Room the event will be sent into. */
  readonly roomId: string;
  /** Event type. */
  readonly eventType: string;
  /** State key, for a delayed state event. */
  readonly stateKey?: string;
  /** The delay the event was scheduled with (each restart counts this again from now). */
  readonly delayMs: number;
  /** When the current countdown started (scheduling or last restart), ms since the epoch. */
  readonly runningSinceTs?: number;
  /** `runningSinceTs + delayMs`: when the server will send it (it may batch up to ~30 s later). */
  readonly sendTs?: number;
  /** Content that will be sent. */
  readonly content: Record<string, unknown>;
}

/**
 * What the server supports and allows.
 *
 * @remarks `supported` is false (and `api` is `"none"`) when `/versions` advertises neither
 * `org.matrix.msc4140` nor `org.matrix.msc4140.stable` nor a spec version that contains delayed
 * events. Limits come from the `m.delayed_events` capability (stable) or
 * `org.matrix.msc4140.delayed_events` (Synapse); a missing field means "no limit stated".
 */
export interface DelayedEventLimits {
  /** Whether the server offers delayed events at all. */
  readonly supported: boolean;
  /** Longest allowed delay in milliseconds, when the server states one. */
  readonly maxDelayMs?: number;
  /** Most delayed events one user may have scheduled at once, when the server states one. */
  readonly maxScheduled?: number;
  /** Which API family the transport uses with this server. */
  readonly api: "unstable" | "stable" | "none";
}

/**
 * Version 1 of the delayed-event transport: the part of MSC4140 a leave scheduler needs.
 *
 * @remarks This is a versioned spec type: it never changes after release; a breaking idea becomes
 * `DelayedEventTransportV2`. All methods reject only with {@link DelayedEventError} subclasses,
 * or with the caller's own abort reason when `signal` aborts.
 *
 * Timing: `restart` resets the countdown to "now + the original delay" on the server; the server
 * sends no earlier than that, possibly a little later.
 *
 * @example
 * ```ts
 * const transport = createDelayedEventTransport({ matrix });
 * const { delayId } = await transport.scheduleStateEvent({
 *   roomId, eventType: "org.matrix.msc3401.call.member", stateKey, content: {}, delayMs: 10_000,
 * });
 * await transport.restart(delayId); // heartbeat, every few seconds
 * await transport.send(delayId);    // leave now
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface DelayedEventTransportV1 {
  /** Spec version of this interface. */
  readonly specificationVersion: "v1";
  /** Schedule a state event to be sent after `delayMs`; resolves with its delay id. */
  scheduleStateEvent(input: ScheduleStateEventInput): Promise<{ readonly delayId: string }>;
  /** Schedule a message (optionally sticky) event to be sent after `delayMs`. */
  scheduleMessageEvent(input: ScheduleMessageEventInput): Promise<{ readonly delayId: string }>;
  /** Restart the countdown: the event is now sent `delayMs` from now. */
  restart(delayId: string, options?: RequestOptions): Promise<void>;
  /** Cancel the delayed event; it will never be sent. */
  cancel(delayId: string, options?: RequestOptions): Promise<void>;
  /** Send the delayed event now. */
  send(delayId: string, options?: RequestOptions): Promise<void>;
  /** The current user's scheduled delayed events (all pages; malformed entries skipped). */
  listScheduled(options?: RequestOptions): Promise<readonly ScheduledDelayedEvent[]>;
  /** Whether delayed events are supported, which API is used and the server's limits. */
  limits(options?: RequestOptions): Promise<DelayedEventLimits>;
}
