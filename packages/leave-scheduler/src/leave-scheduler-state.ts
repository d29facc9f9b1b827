/**
 * The states of a leave scheduler. The state is a stored field, changed only through the
 * transitions in {@link LEAVE_SCHEDULER_TRANSITIONS}; it is never derived from a queue.
 *
 * - `idle`: created, nothing sent.
 * - `arming`: cancelling a stored delayed leave from a previous instance, then scheduling ours.
 * - `joining`: the delayed leave is armed; the membership is being sent.
 * - `joined`: membership sent; heartbeating the delayed leave.
 * - `updating`: re-sending the membership (after proving the delayed leave is alive).
 * - `probably-left`: the delayed leave's deadline passed without a successful restart; the server
 *   has probably removed our membership. Restarts continue.
 * - `rearming`: the delayed leave is gone (fired, 404/409, or our membership vanished); arming a
 *   new one before rejoining.
 * - `rejoining`: re-sending the membership behind the new delayed leave.
 * - `leaving`: sending the leave (delayed `send`, else a direct write).
 * - `left`: out of the call; `join()` may be called again.
 * - `closed`: terminal.
 *
 * @example
 * ```ts
 * scheduler.on("state-changed", ({ from, to }) => console.log(`${from} → ${to}`));
 * ```
 */
export type LeaveSchedulerState =
  | "idle"
  | "arming"
  | "joining"
  | "joined"
  | "updating"
  | "probably-left"
  | "rearming"
  | "rejoining"
  | "leaving"
  | "left"
  | "closed";

/**
 * Every allowed transition, `from → [to…]`. Every state but `leaving` may go straight to
 * `closed` (`close({ leave: false })`); a leave in progress always finishes at `left` first.
 *
 * @example
 * ```ts
 * import { LEAVE_SCHEDULER_TRANSITIONS } from "@mxrtc/leave-scheduler";
 * LEAVE_SCHEDULER_TRANSITIONS.joined.includes("probably-left"); // true
 * ```
 */
export const LEAVE_SCHEDULER_TRANSITIONS: Readonly<
  Record<LeaveSchedulerState, readonly LeaveSchedulerState[]>
> = Object.freeze({
  idle: ["arming", "closed"],
  arming: ["joining", "leaving", "closed"],
  joining: ["joined", "leaving", "closed"],
  joined: ["updating", "probably-left", "rearming", "leaving", "closed"],
  updating: ["joined", "rearming", "leaving", "closed"],
  "probably-left": ["joined", "rearming", "leaving", "closed"],
  rearming: ["rejoining", "leaving", "closed"],
  rejoining: ["joined", "rearming", "leaving", "closed"],
  leaving: ["left"],
  left: ["arming", "closed"],
  closed: [],
});

/**
 * True when `from → to` is in {@link LEAVE_SCHEDULER_TRANSITIONS}.
 *
 * @example
 * ```ts
 * import { isAllowedTransition } from "@mxrtc/leave-scheduler";
 * isAllowedTransition("idle", "joined"); // false: joining always arms first
 * ```
 */
export function isAllowedTransition(from: LeaveSchedulerState, to: LeaveSchedulerState): boolean {
  return LEAVE_SCHEDULER_TRANSITIONS[from].includes(to);
}
