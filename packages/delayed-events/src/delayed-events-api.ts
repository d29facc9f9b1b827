import type { MatrixVersions } from "@mxrtc/matrix";

/**
 * Which MSC4140 API family a server speaks.
 *
 * - `"unstable"`: what released Synapse speaks: `?org.matrix.msc4140.delay=` on `/send` and
 *   `/state`, management under `/_matrix/client/unstable/org.matrix.msc4140/delayed_events`.
 * - `"stable"`: the merged MSC: `PUT /_matrix/client/v3/rooms/{roomId}/delayed_event/{type}/{txnId}`,
 *   `POST /_matrix/client/v1/delayed_events/{delayId}/{action}`, `GET /_matrix/client/v1/delayed_events`.
 * - `"none"`: the server does not advertise delayed events.
 */
export type DelayedEventsApi = "unstable" | "stable" | "none";

/** `unstable_features` flag of the unstable API (Synapse sets it when delayed events are enabled). */
export const UNSTABLE_DELAYED_EVENTS_FEATURE = "org.matrix.msc4140";
/** `unstable_features` flag a server sets once it speaks the stable endpoints before a spec release. */
export const STABLE_DELAYED_EVENTS_FEATURE = "org.matrix.msc4140.stable";
/**
 * The first spec version assumed to contain delayed events. MSC4140 merged on 2026-09-08; the
 * exact release is an estimate, hence overridable (`stableSinceSpecVersion`). A wrong guess
 * costs one `M_UNRECOGNIZED` round trip per operation kind, after which the transport remembers
 * the form that works.
 */
export const DEFAULT_STABLE_SINCE_SPEC_VERSION = "v1.20";

function parseSpecVersion(version: string): readonly [number, number] | undefined {
  const match = /^[vr](\d+)\.(\d+)/.exec(version);
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2])];
}

/** True when `version` (e.g. `"v1.21"`) is at least `minimum` (e.g. `"v1.20"`). */
export function specVersionAtLeast(version: string, minimum: string): boolean {
  const have = parseSpecVersion(version);
  const want = parseSpecVersion(minimum);
  if (!have || !want || version.startsWith("r")) return false;
  return have[0] > want[0] || (have[0] === want[0] && have[1] >= want[1]);
}

/**
 * Decide the API family from `/versions`.
 *
 * @remarks Stable wins when the server advertises `org.matrix.msc4140.stable` or a spec version
 * of at least `stableSinceSpecVersion`; otherwise `org.matrix.msc4140` means unstable; otherwise
 * `"none"`. A stable server still gets the unstable forms as fallbacks (see the README).
 *
 * @example
 * ```ts
 * detectDelayedEventsApi({ versions: ["v1.12"], unstableFeatures: { "org.matrix.msc4140": true } }); // "unstable"
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function detectDelayedEventsApi(
  versions: MatrixVersions,
  stableSinceSpecVersion: string = DEFAULT_STABLE_SINCE_SPEC_VERSION,
): DelayedEventsApi {
  const features = versions.unstableFeatures;
  if (features[STABLE_DELAYED_EVENTS_FEATURE] === true) return "stable";
  if (versions.versions.some((version) => specVersionAtLeast(version, stableSinceSpecVersion))) {
    return "stable";
  }
  if (features[UNSTABLE_DELAYED_EVENTS_FEATURE] === true) return "unstable";
  return "none";
}
