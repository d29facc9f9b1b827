import type { ScheduledDelayedEvent } from "./delayed-event-transport.js";

/** One page of a delayed-event listing, normalised. */
export interface ScheduledDelayedEventsPage {
  /** The well-formed entries, in server order. */
  readonly events: readonly ScheduledDelayedEvent[];
  /** Entries that were skipped, with why. */
  readonly skipped: readonly { readonly entry: unknown; readonly reason: string }[];
  /** Pagination token for the next page, if the server gave one. */
  readonly nextBatch?: string;
}

/** Why a listing body could not be read at all (it has no list). */
export interface ScheduledDelayedEventsPageError {
  readonly message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

function nonNegativeNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Normalise one listing entry; a string says why it was skipped. */
export function parseScheduledDelayedEvent(entry: unknown): ScheduledDelayedEvent | string {
  if (!isRecord(entry)) return "entry is not an object";
  if (!nonEmptyString(entry.delay_id)) return "delay_id is not a non-empty string";
  if (!nonEmptyString(entry.room_id)) return "room_id is not a non-empty string";
  if (!nonEmptyString(entry.type)) return "type is not a non-empty string";
  if (entry.state_key !== undefined && typeof entry.state_key !== "string") {
    return "state_key is not a string";
  }
  const delayMs = nonNegativeNumber(entry.delay_ms) ?? nonNegativeNumber(entry.delay);
  if (delayMs === undefined) return "neither delay_ms nor delay is a non-negative number";
  if (!isRecord(entry.content)) return "content is not an object";
  const runningSinceTs =
    nonNegativeNumber(entry.running_since) ?? nonNegativeNumber(entry.scheduled_at);
  return {
    delayId: entry.delay_id,
    roomId: entry.room_id,
    eventType: entry.type,
    ...(typeof entry.state_key === "string" ? { stateKey: entry.state_key } : {}),
    delayMs,
    ...(runningSinceTs === undefined ? {} : { runningSinceTs, sendTs: runningSinceTs + delayMs }),
    content: entry.content,
  };
}

/**
 * Read one page of a delayed-event listing in any shape a server has used.
 *
 * @remarks Accepts Synapse's `{delayed_events: [{delay, running_since, …}]}`, the head MSC's
 * `{delayed_events: [{delay_ms, scheduled_at, …}]}` and the 2025-07/2025-10
 * `{scheduled: [{delay, running_since, …}], next_batch?}`. A malformed entry is skipped (and
 * reported in `skipped`), never thrown. Only a body without any list is an error.
 *
 * @example
 * ```ts
 * const page = parseScheduledDelayedEventsPage(await matrix.request({ method: "GET", path }));
 * if ("message" in page) throw new Error(page.message);
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function parseScheduledDelayedEventsPage(
  body: unknown,
): ScheduledDelayedEventsPage | ScheduledDelayedEventsPageError {
  if (!isRecord(body)) return { message: "the listing reply is not a JSON object" };
  const list = Array.isArray(body.delayed_events)
    ? body.delayed_events
    : Array.isArray(body.scheduled)
      ? body.scheduled
      : undefined;
  if (list === undefined) {
    return { message: "the listing reply has neither a delayed_events nor a scheduled array" };
  }
  const events: ScheduledDelayedEvent[] = [];
  const skipped: { entry: unknown; reason: string }[] = [];
  for (const entry of list) {
    const parsed = parseScheduledDelayedEvent(entry);
    if (typeof parsed === "string") skipped.push({ entry, reason: parsed });
    else events.push(parsed);
  }
  return {
    events,
    skipped,
    ...(nonEmptyString(body.next_batch) ? { nextBatch: body.next_batch } : {}),
  };
}
