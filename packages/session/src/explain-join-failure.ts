import type { MatrixPort } from "@mxrtc/matrix";
import type { OwnMembershipPlan } from "./own-membership.js";
import { checkPowerLevel, isForbidden } from "./power-levels.js";
import { readStateContent } from "./read-room-state.js";
import { SessionError } from "./session-error.js";

/**
 * Turn a failed join into a {@link SessionError}: a 403 that the room's power levels explain
 * becomes `insufficient-power-level` naming the level (`events[type] ?? state_default` /
 * `events_default` against `users[me] ?? users_default`, element-web#30703); anything else
 * `join-failed` with the error as `cause`. A `SessionError` is returned as is.
 *
 * @remarks `powerLevels` is the latest `m.room.power_levels` content seen in sync; when it is
 * unknown the state is read from the server.
 * @example
 * ```ts
 * throw await explainJoinFailure(error, { plan, matrix, powerLevels: facts.powerLevels });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export async function explainJoinFailure(
  error: unknown,
  context: {
    readonly plan: OwnMembershipPlan;
    readonly matrix: Pick<MatrixPort, "request">;
    readonly powerLevels: Record<string, unknown> | undefined;
  },
): Promise<SessionError> {
  if (SessionError.isInstance(error)) return error;
  const { plan } = context;
  if (isForbidden(error)) {
    const powerLevels =
      context.powerLevels ??
      (await readStateContent(context.matrix, plan.roomId, "m.room.power_levels"));
    const check = checkPowerLevel(powerLevels, {
      userId: plan.userId,
      eventType: plan.eventType,
      isState: plan.dialect === "legacy",
    });
    if (!check.allowed) {
      const fallback = plan.dialect === "legacy" ? "state_default" : "events_default";
      return new SessionError(
        "insufficient-power-level",
        `${plan.userId} has power level ${check.userPowerLevel} in ${plan.roomId}, but ` +
          `sending ${plan.eventType} needs ${check.requiredPowerLevel} ` +
          `(m.room.power_levels events["${plan.eventType}"] ?? ${fallback})`,
        {
          cause: error,
          eventType: plan.eventType,
          requiredPowerLevel: check.requiredPowerLevel,
          userPowerLevel: check.userPowerLevel,
        },
      );
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new SessionError("join-failed", `join failed: ${message}`, { cause: error });
}
