/** The outcome of {@link checkPowerLevel}. */
export interface PowerLevelCheck {
  readonly allowed: boolean;
  readonly requiredPowerLevel: number;
  readonly userPowerLevel: number;
}

function level(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Whether `userId` may send `eventType` under the room's `m.room.power_levels` content.
 *
 * @remarks Required: `events[eventType]`, else `state_default` (state events, default 50) or
 * `events_default` (message events, default 0). The user's level: `users[userId]`, else
 * `users_default` (default 0). With no power-levels event at all (`content` undefined) everything
 * is allowed at level 0, as in the spec. Malformed fields fall back to the defaults.
 * @example
 * ```ts
 * checkPowerLevel({ events: { "org.matrix.msc3401.call.member": 50 } }, {
 *   userId: "@bob:example.org", eventType: "org.matrix.msc3401.call.member", isState: true,
 * }); // { allowed: false, requiredPowerLevel: 50, userPowerLevel: 0 }
 * ```
 * @see https://spec.matrix.org/latest/client-server-api/#mroompower_levels
 */
export function checkPowerLevel(
  content: Record<string, unknown> | undefined,
  input: { readonly userId: string; readonly eventType: string; readonly isState: boolean },
): PowerLevelCheck {
  if (content === undefined) return { allowed: true, requiredPowerLevel: 0, userPowerLevel: 0 };
  const events = record(content.events);
  const users = record(content.users);
  const requiredPowerLevel =
    level(events[input.eventType]) ??
    (input.isState ? (level(content.state_default) ?? 50) : (level(content.events_default) ?? 0));
  const userPowerLevel = level(users[input.userId]) ?? level(content.users_default) ?? 0;
  return { allowed: userPowerLevel >= requiredPowerLevel, requiredPowerLevel, userPowerLevel };
}

/**
 * True when `error` or anything in its `cause` chain carries HTTP status 403 (a `MatrixError`, a
 * `DelayedEventServerError`, …).
 *
 * @example
 * ```ts
 * if (isForbidden(error)) explainPowerLevels();
 * ```
 */
export function isForbidden(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const candidate = current as { status?: unknown; errcode?: unknown; cause?: unknown };
    if (candidate.status === 403 || candidate.errcode === "M_FORBIDDEN") return true;
    current = candidate.cause;
  }
  return false;
}
