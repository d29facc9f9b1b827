import type { DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import type { LeaveScheduler } from "@mxrtc/leave-scheduler";
import type { SessionMembership } from "@mxrtc/session";

/** Writes one timestamped line. */
export type LinePrinter = (text: string) => void;

/**
 * A printer that prefixes each line with the ISO time.
 *
 * @example
 * ```ts
 * const print = timestampedPrinter(io.stdout, Date.now);
 * print("joined"); // "2026-11-25T00:01:02.123Z joined\n"
 * ```
 */
export function timestampedPrinter(write: (text: string) => void, now: () => number): LinePrinter {
  return (text) => write(`${new Date(now()).toISOString()} ${text}\n`);
}

const keyOf = (member: SessionMembership) =>
  `${member.userId}\u0000${member.deviceId}\u0000${member.memberId}`;

function describeMember(member: SessionMembership): string {
  const transport = member.transport === undefined ? "no transport" : member.transport.type;
  return `${member.userId} device ${member.deviceId || "-"} (${member.dialect}, ${transport}${member.isLocal ? ", us" : ""})`;
}

/**
 * One line per member who joined or left between two membership lists.
 *
 * @example
 * ```ts
 * session.on("memberships-changed", ({ memberships, previous }) => printMembershipChanges(print, previous, memberships));
 * ```
 */
export function printMembershipChanges(
  print: LinePrinter,
  previous: readonly SessionMembership[],
  current: readonly SessionMembership[],
): void {
  const before = new Set(previous.map(keyOf));
  const after = new Set(current.map(keyOf));
  for (const member of previous)
    if (!after.has(keyOf(member))) print(`- left: ${describeMember(member)}`);
  for (const member of current)
    if (!before.has(keyOf(member))) print(`+ joined: ${describeMember(member)}`);
}

/**
 * One line per heartbeat outcome of a leave scheduler: scheduled, restarted (with the round
 * trip), probably left, rejoining, error, left.
 *
 * @example
 * ```ts
 * printSchedulerEvents(print, scheduler);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function printSchedulerEvents(print: LinePrinter, scheduler: LeaveScheduler): void {
  scheduler.on("delayed-leave-scheduled", ({ delayId, delayMs }) =>
    print(
      `delayed leave scheduled: fires ${delayMs} ms after our last heartbeat (delay id ${delayId})`,
    ),
  );
  scheduler.on("delayed-leave-restarted", ({ roundTripMs }) =>
    print(`delayed leave restarted (round trip ${roundTripMs} ms)`),
  );
  scheduler.on("probably-left", ({ probablyLeft }) =>
    print(
      probablyLeft
        ? "probably left: no heartbeat reached the homeserver before the delayed leave was due"
        : "back: a heartbeat reached the homeserver after all",
    ),
  );
  scheduler.on("rejoining", ({ cause, reason }) =>
    print(`rejoining (${cause}${reason === undefined ? "" : `: ${reason}`})`),
  );
  scheduler.on("error", ({ error, fatal }) =>
    print(`${fatal ? "fatal error" : "error"}: ${error.message}`),
  );
  scheduler.on("left", ({ method, cause }) => print(`left (${method}, ${cause})`));
}

/**
 * Wrap a delayed-event transport so `onSchedule` runs just before each schedule request: the
 * moment a session's new leave scheduler exists but has not armed yet (so its
 * `delayed-leave-scheduled` event can still be heard).
 *
 * @example
 * ```ts
 * const delayedEvents = beforeSchedule(createDelayedEventTransport({ matrix }), () => attach(session.scheduler));
 * ```
 */
export function beforeSchedule(
  inner: DelayedEventTransportV1,
  onSchedule: () => void,
): DelayedEventTransportV1 {
  return {
    specificationVersion: "v1",
    scheduleStateEvent: (input) => {
      onSchedule();
      return inner.scheduleStateEvent(input);
    },
    scheduleMessageEvent: (input) => {
      onSchedule();
      return inner.scheduleMessageEvent(input);
    },
    restart: (delayId, options) => inner.restart(delayId, options),
    cancel: (delayId, options) => inner.cancel(delayId, options),
    send: (delayId, options) => inner.send(delayId, options),
    listScheduled: (options) => inner.listScheduled(options),
    limits: (options) => inner.limits(options),
  };
}
