/** Capability key of the merged MSC4140. */
export const STABLE_DELAYED_EVENTS_CAPABILITY = "m.delayed_events";
/** Capability key Synapse emits. */
export const UNSTABLE_DELAYED_EVENTS_CAPABILITY = "org.matrix.msc4140.delayed_events";

/** The numeric limits a server states; a missing field means "not stated". */
export interface ParsedDelayedEventLimits {
  readonly maxDelayMs?: number;
  readonly maxScheduled?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Read `max_delay_ms` and `max_scheduled` from a capabilities object.
 *
 * @remarks Accepts the inner `capabilities` map or the whole `/capabilities` reply. Looks at the
 * key of the preferred API first (`m.delayed_events` for stable, the Synapse key for unstable),
 * then at the other. Non-numeric or non-positive values are ignored, never thrown.
 *
 * @example
 * ```ts
 * parseDelayedEventLimits({ "org.matrix.msc4140.delayed_events": { max_delay_ms: 86400000 } }, "unstable");
 * // { maxDelayMs: 86400000 }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function parseDelayedEventLimits(
  capabilities: unknown,
  preferred: "stable" | "unstable",
): ParsedDelayedEventLimits {
  if (!isRecord(capabilities)) return {};
  const map =
    isRecord(capabilities.capabilities) &&
    !(STABLE_DELAYED_EVENTS_CAPABILITY in capabilities) &&
    !(UNSTABLE_DELAYED_EVENTS_CAPABILITY in capabilities)
      ? capabilities.capabilities
      : capabilities;
  const keys =
    preferred === "stable"
      ? [STABLE_DELAYED_EVENTS_CAPABILITY, UNSTABLE_DELAYED_EVENTS_CAPABILITY]
      : [UNSTABLE_DELAYED_EVENTS_CAPABILITY, STABLE_DELAYED_EVENTS_CAPABILITY];
  for (const key of keys) {
    const entry = map[key];
    if (!isRecord(entry)) continue;
    const maxDelayMs = positiveNumber(entry.max_delay_ms) ?? positiveNumber(entry.max_delay);
    const maxScheduled = positiveNumber(entry.max_scheduled);
    return {
      ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
      ...(maxScheduled === undefined ? {} : { maxScheduled }),
    };
  }
  return {};
}
