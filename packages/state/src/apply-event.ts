import {
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  RTC_MEMBER_EVENT_TYPE,
  RTC_SLOT_EVENT_TYPE,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
  UNSTABLE_RTC_SLOT_EVENT_TYPE,
} from "@mxrtc/types";
import { applyLegacyMembership } from "./apply-legacy-membership.js";
import { applyRoomMember, ROOM_MEMBER_EVENT_TYPE } from "./apply-room-member.js";
import { applyRtcMember } from "./apply-rtc-member.js";
import { applySlot } from "./apply-slot.js";
import { diagnosticFor, type EventEnvelope, readEnvelope } from "./event-envelope.js";
import { type RoomRtcState, stateData } from "./room-rtc-state.js";
import { RtcStateError } from "./rtc-state-error.js";
import { StateDraft } from "./state-draft.js";

/** Options of {@link applyEvent} and {@link applyEvents}. */
export interface ApplyEventOptions {
  /**
   * When the events were received (ms), used for MSC4354 `unsigned.sticky_duration_ttl_ms`.
   * Default: none; stickiness then ends at `origin_server_ts + min(duration_ms, 1 h)`.
   */
  readonly receivedTs?: number;
}

const RELEVANT_TYPES = new Set([
  ROOM_MEMBER_EVENT_TYPE,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
  RTC_MEMBER_EVENT_TYPE,
  RTC_SLOT_EVENT_TYPE,
  UNSTABLE_RTC_SLOT_EVENT_TYPE,
]);

function checkedReceivedTs(options: ApplyEventOptions | undefined): number | undefined {
  const receivedTs = options?.receivedTs;
  if (
    receivedTs !== undefined &&
    (typeof receivedTs !== "number" || !Number.isFinite(receivedTs))
  ) {
    throw new RtcStateError(
      "invalid-options",
      "receivedTs must be a finite number of milliseconds",
    );
  }
  return receivedTs;
}

function applyToDraft(draft: StateDraft, event: unknown, receivedTs: number | undefined): void {
  const envelope = readEnvelope(event);
  if (envelope === undefined) {
    draft.diagnose(
      diagnosticFor(undefined, "malformed-event", "not an event object with a string type", "type"),
    );
    return;
  }
  if (!RELEVANT_TYPES.has(envelope.type)) {
    draft.observeTs(envelope.originServerTs);
    return;
  }
  const { eventId, sender, originServerTs } = envelope;
  if (eventId === undefined) {
    draft.diagnose(
      diagnosticFor(envelope, "missing-event-id", "event without a string event_id", "event_id"),
    );
    return;
  }
  if (sender === undefined) {
    draft.diagnose(
      diagnosticFor(envelope, "missing-sender", "event without a string sender", "sender"),
    );
    return;
  }
  if (envelope.type === ROOM_MEMBER_EVENT_TYPE) {
    draft.observeTs(originServerTs);
    applyRoomMember(draft, envelope as EventEnvelope & { eventId: string; sender: string });
    return;
  }
  if (originServerTs === undefined) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "missing-origin-server-ts",
        "event without a non-negative integer origin_server_ts",
        "origin_server_ts",
      ),
    );
    return;
  }
  draft.observeTs(originServerTs);
  // Checked above; a cast instead of a copy keeps the hot path free of allocations.
  const ready = envelope as EventEnvelope & {
    eventId: string;
    sender: string;
    originServerTs: number;
  };
  switch (envelope.type) {
    case LEGACY_MEMBERSHIP_EVENT_TYPE:
      applyLegacyMembership(draft, ready);
      return;
    case RTC_SLOT_EVENT_TYPE:
    case UNSTABLE_RTC_SLOT_EVENT_TYPE:
      applySlot(draft, ready);
      return;
    default:
      applyRtcMember(draft, ready, receivedTs);
  }
}

/**
 * Apply one client event (as in `/sync` or `/rooms/{roomId}/state`) and return the new state.
 *
 * @remarks Pure: the old state is untouched and stays valid, the event is never mutated, no
 * clock is read. Bad input never throws: it lands in {@link selectDiagnostics} with a reason.
 * Reads `m.room.member`, `org.matrix.msc3401.call.member` (legacy state), `org.matrix.msc4143.rtc.member`
 * and `m.rtc.member` (sticky), `m.rtc.slot` and `org.matrix.msc4143.rtc.slot`; other types only
 * advance `latestTs`. State events: the last one applied for a state key wins whatever its
 * `origin_server_ts`; a repeated event id changes nothing. Sticky events follow MSC4354's
 * conflict rule. Cost is proportional to the member's own data (persistent maps), not the room.
 * Throws {@link RtcStateError} only for a foreign `state` or a non-finite `receivedTs`.
 * @example
 * ```ts
 * state = applyEvent(state, syncEvent, { receivedTs: Date.now() });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export function applyEvent(
  state: RoomRtcState,
  event: unknown,
  options?: ApplyEventOptions,
): RoomRtcState {
  const data = stateData(state);
  const receivedTs = checkedReceivedTs(options);
  const draft = new StateDraft(data);
  try {
    applyToDraft(draft, event, receivedTs);
    return draft.finish();
  } catch (error) {
    // A hostile value (a throwing getter, a Proxy) must not break the caller: drop the event.
    const fallback = new StateDraft(data);
    const message = error instanceof Error ? error.message : String(error);
    fallback.diagnose(
      diagnosticFor(undefined, "malformed-event", `event could not be read: ${message}`, undefined),
    );
    return fallback.finish();
  }
}

/**
 * Apply events in order; equivalent to calling {@link applyEvent} for each.
 *
 * @remarks The result does not depend on how a stream is split into batches. Non-iterable input
 * is recorded as one `malformed-event` diagnostic.
 * @example
 * ```ts
 * state = applyEvents(state, [...room.state.events, ...room.timeline.events]);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function applyEvents(
  state: RoomRtcState,
  events: Iterable<unknown>,
  options?: ApplyEventOptions,
): RoomRtcState {
  stateData(state);
  checkedReceivedTs(options);
  let next = state;
  try {
    for (const event of events) next = applyEvent(next, event, options);
  } catch (error) {
    if (RtcStateError.isInstance(error)) throw error;
    const draft = new StateDraft(stateData(next));
    draft.diagnose(
      diagnosticFor(undefined, "malformed-event", "events are not iterable", undefined),
    );
    return draft.finish();
  }
  return next;
}
