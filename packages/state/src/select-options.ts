import { RtcStateError } from "./rtc-state-error.js";

/** Options of the per-slot, time-dependent selectors. */
export interface SlotSelectOptions {
  /** The slot, `application#id` (e.g. `m.call#ROOM`). */
  readonly slotId: string;
  /** The current time in ms; memberships whose `expiresTs <= now` do not count. */
  readonly now: number;
}

/** Validate {@link SlotSelectOptions}; throws {@link RtcStateError} on a programming error. Internal. */
export function checkSlotOptions(options: SlotSelectOptions): void {
  if (typeof options?.slotId !== "string")
    throw new RtcStateError("invalid-options", "slotId must be a string");
  if (typeof options.now !== "number" || Number.isNaN(options.now)) {
    throw new RtcStateError("invalid-options", "now must be a number of milliseconds");
  }
}
