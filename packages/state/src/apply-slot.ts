import { parseSlotContent, RTC_SLOT_EVENT_TYPE } from "@mxrtc/types";
import { diagnosticFor, type EventEnvelope } from "./event-envelope.js";
import { isSlotClosed, isSlotOpen, touchSlot } from "./slot-record.js";
import { hasEventId, rememberEventId, type SlotStateRecord } from "./state-data.js";
import type { StateDraft } from "./state-draft.js";

/**
 * Apply an `m.rtc.slot` (or unstable `org.matrix.msc4143.rtc.slot`) state event. A slot is open
 * when either variant says open; content that does not parse counts as closed (MSC4143).
 * Opening or closing re-checks the slot's sticky and MSC4143-draft memberships. Internal.
 */
export function applySlot(
  draft: StateDraft,
  envelope: EventEnvelope & { eventId: string; sender: string; originServerTs: number },
): void {
  const slotId = envelope.stateKey;
  if (slotId === undefined) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "missing-state-key",
        "slot event without a string state_key",
        "state_key",
      ),
    );
    return;
  }
  const field = envelope.type === RTC_SLOT_EVENT_TYPE ? "stableSlot" : "unstableSlot";
  const slot = draft.slot(slotId);
  const previous = slot[field];
  if (hasEventId(previous?.recentEventIds, envelope.eventId)) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "duplicate-event",
        "event already applied to this state key",
        "event_id",
      ),
    );
    return;
  }
  const parsed = parseSlotContent(envelope.content, slotId);
  if (!parsed.ok) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "invalid-slot",
        `${parsed.error.message}; the slot counts as closed`,
        parsed.error.path,
        true,
      ),
    );
  }
  const record: SlotStateRecord = {
    open: parsed.ok && parsed.value.status === "open",
    eventId: envelope.eventId,
    recentEventIds: rememberEventId(previous?.recentEventIds, envelope.eventId),
  };
  const wasOpen = isSlotOpen(slot);
  const wasClosed = isSlotClosed(slot);
  const next = touchSlot(slot, { [field]: record }, undefined);
  draft.putSlot(next);
  if (wasOpen !== isSlotOpen(next) || wasClosed !== isSlotClosed(next)) {
    draft.recheckSlot(slotId, envelope.originServerTs);
  }
}
