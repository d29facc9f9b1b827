import { parseDelayedEventLimits } from "@mxrtc/delayed-events";
import { describeMatrixFailure } from "./describe-matrix-failure.js";
import type { DoctorContext, DoctorIdentity, DoctorResult } from "./doctor-check.js";

/** Below this `max_delay_ms` our heartbeat (8 s delay, restart every 6 s) does not fit. */
export const MINIMUM_USEFUL_MAX_DELAY_MS = 10_000;

/**
 * `whoami` with `--token`: who the authenticated checks run as. A rejected token fails.
 *
 * @example
 * ```ts
 * const { result, identity } = await checkToken(context);
 * ```
 */
export async function checkToken(
  context: DoctorContext,
): Promise<{ readonly result: DoctorResult; readonly identity?: DoctorIdentity }> {
  if (context.matrix === undefined) {
    return {
      result: {
        id: "token",
        status: "warn",
        message:
          "no --token: skipped the checks that need a user (capabilities, /rtc/transports, focus token)",
        fix: "pass --token (e.g. from `pnpm stack register doctor`)",
      },
    };
  }
  try {
    const who = await context.matrix.whoami({ timeoutMs: context.timeoutMs });
    const serverName = who.userId.slice(who.userId.indexOf(":") + 1);
    const deviceId = who.deviceId ?? "";
    return {
      result: {
        id: "token",
        status: "ok",
        message: `token belongs to ${who.userId} (device ${deviceId || "unknown"})`,
      },
      identity: { userId: who.userId, deviceId, serverName },
    };
  } catch (error) {
    return {
      result: {
        id: "token",
        status: "fail",
        message: describeMatrixFailure(error, { homeserver: context.homeserver }),
        fix: "use a current access token of a user on this homeserver",
      },
    };
  }
}

/**
 * The delayed-event limits in `/capabilities` (`org.matrix.msc4140.delayed_events`
 * `max_delay_ms`, `max_scheduled`). A `max_delay_ms` under 10 s is a warning: too short for the
 * leave heartbeat.
 *
 * @example
 * ```ts
 * await checkDelayedEventLimits(context);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export async function checkDelayedEventLimits(context: DoctorContext): Promise<DoctorResult> {
  const id = "delayed-event-limits";
  if (context.matrix === undefined) {
    return {
      id,
      status: "warn",
      message: "skipped delayed-event limits: needs --token",
      fix: "pass --token",
    };
  }
  let capabilities: unknown;
  try {
    capabilities = await context.matrix.capabilities({ timeoutMs: context.timeoutMs });
  } catch (error) {
    return {
      id,
      status: "warn",
      message: `capabilities unavailable: ${describeMatrixFailure(error, { homeserver: context.homeserver })}`,
    };
  }
  const limits = parseDelayedEventLimits(capabilities, "unstable");
  const maxDelay =
    limits.maxDelayMs === undefined ? "no max_delay_ms" : `max_delay_ms ${limits.maxDelayMs}`;
  const maxScheduled =
    limits.maxScheduled === undefined ? "no max_scheduled" : `max_scheduled ${limits.maxScheduled}`;
  if (limits.maxDelayMs !== undefined && limits.maxDelayMs < MINIMUM_USEFUL_MAX_DELAY_MS) {
    return {
      id,
      status: "warn",
      message: `delayed events: ${maxDelay} is under 10 s, too short for the leave heartbeat (8 s delay, restarted every 6 s); ${maxScheduled}`,
      fix: "Synapse: max_event_delay_duration of at least 10s (24h is usual)",
    };
  }
  if (limits.maxScheduled !== undefined && limits.maxScheduled < 3) {
    return {
      id,
      status: "warn",
      message: `delayed events: ${maxDelay}; ${maxScheduled} leaves no room for a second device in a call`,
      fix: "Synapse: experimental_features.msc4140_max_delayed_events_per_user of 10 or more",
    };
  }
  return { id, status: "ok", message: `delayed events: ${maxDelay}, ${maxScheduled}` };
}
