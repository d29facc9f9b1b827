import { setTimeout as sleep } from "node:timers/promises";
import {
  getStateEvents,
  isLiveMembershipContent,
  type ListedDelayedEvent,
  listDelayedEvents,
  type RawAccount,
} from "./raw-matrix.js";

/** One poll where the membership was live and no delayed leave of its owner was scheduled. */
export interface InvariantViolation {
  readonly ts: number;
  readonly membershipEventId: string;
}

/** Result of {@link watchDelayedLeaveInvariant}. */
export interface DelayedLeaveInvariantReport {
  readonly polls: number;
  readonly livePolls: number;
  readonly failedPolls: number;
  readonly violations: readonly InvariantViolation[];
  /**
   * Polls that caught Synapse between taking a fired delayed leave off the list and writing it
   * (the membership was empty {@link FIRING_GRACE_MS} later): not violations.
   */
  readonly leavesBeingSent: number;
}

/** How long a suspected violation is given to turn out to be a leave being sent. */
export const FIRING_GRACE_MS = 1_000;

/** Is a delayed leave for the state key in the list. */
export function hasDelayedLeave(
  listed: readonly ListedDelayedEvent[],
  target: { readonly roomId: string; readonly eventType: string; readonly stateKey: string },
): boolean {
  return listed.some(
    (event) =>
      event.room_id === target.roomId &&
      event.type === target.eventType &&
      event.state_key === target.stateKey &&
      !isLiveMembershipContent(event.content),
  );
}

/**
 * Polls the homeserver (directly, never through the member's network) and checks: whenever the
 * membership is live in room state, its owner has a delayed leave for that state key scheduled.
 *
 * @remarks Each poll lists the owner's delayed events, reads the room state, then lists again;
 * a violation needs both lists to lack the leave, so a leave that fires or is armed between two
 * reads of one poll is not miscounted. A suspect is re-checked after {@link FIRING_GRACE_MS}: if
 * the membership is empty by then, Synapse was sending the delayed leave (it unlists a fired event
 * before writing it); if it is still live and still has no delayed leave, it is a violation.
 * Stop with `signal`.
 */
export async function watchDelayedLeaveInvariant(options: {
  readonly owner: RawAccount;
  readonly reader: RawAccount;
  readonly roomId: string;
  readonly eventType: string;
  readonly stateKey: string;
  readonly signal: AbortSignal;
  readonly intervalMs?: number;
}): Promise<DelayedLeaveInvariantReport> {
  const violations: InvariantViolation[] = [];
  let polls = 0;
  let livePolls = 0;
  let failedPolls = 0;
  let leavesBeingSent = 0;
  while (!options.signal.aborted) {
    try {
      const before = await listDelayedEvents(options.owner);
      const state = await getStateEvents(options.reader, options.roomId, options.eventType);
      const after = await listDelayedEvents(options.owner);
      polls += 1;
      const membership = state.find((event) => event.state_key === options.stateKey);
      if (membership !== undefined && isLiveMembershipContent(membership.content)) {
        livePolls += 1;
        if (!hasDelayedLeave(before, options) && !hasDelayedLeave(after, options)) {
          // Synapse takes a firing delayed event off the list before it writes the leave; a
          // membership that is gone a moment later was being removed by its own delayed leave.
          const suspectTs = Date.now();
          await sleep(FIRING_GRACE_MS);
          const later = (
            await getStateEvents(options.reader, options.roomId, options.eventType)
          ).find((event) => event.state_key === options.stateKey);
          const laterListed = await listDelayedEvents(options.owner);
          if (later !== undefined && !isLiveMembershipContent(later.content)) {
            leavesBeingSent += 1;
          } else if (!hasDelayedLeave(laterListed, options)) {
            violations.push({ ts: suspectTs, membershipEventId: membership.event_id });
          }
        }
      }
    } catch {
      failedPolls += 1;
    }
    await sleep(options.intervalMs ?? 200).catch(() => undefined);
  }
  return { polls, livePolls, failedPolls, violations, leavesBeingSent };
}
