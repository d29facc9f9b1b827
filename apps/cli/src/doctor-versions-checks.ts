import type { MatrixVersions } from "@mxrtc/matrix";
import type { DoctorResult } from "./doctor-check.js";

/**
 * `org.matrix.msc4140` (delayed events): needed. Without it a client that crashes leaves its
 * membership behind (a ghost in the call) until `expires` (4 h).
 *
 * @example
 * ```ts
 * checkDelayedEventsFeature(await matrix.versions());
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function checkDelayedEventsFeature(versions: MatrixVersions): DoctorResult {
  const features = versions.unstableFeatures;
  if (features["org.matrix.msc4140"] === true || features["org.matrix.msc4140.stable"] === true) {
    return {
      id: "msc4140",
      status: "ok",
      message: "delayed events (MSC4140) advertised: a crashed client's membership is removed",
    };
  }
  return {
    id: "msc4140",
    status: "fail",
    message:
      "delayed events (MSC4140) not advertised: needed so a crashed or disconnected client leaves the call",
    fix: "Synapse: set max_event_delay_duration (e.g. 24h) in homeserver.yaml (and keep experimental_features.msc4140_max_delayed_events_per_user > 0)",
  };
}

/**
 * `org.matrix.msc4354` (sticky events): needed only for the sticky membership dialect
 * (matrix-js-sdk 43, `mxrtc join --dialect sticky`); legacy state memberships work without it.
 *
 * @example
 * ```ts
 * checkStickyEventsFeature(await matrix.versions());
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export function checkStickyEventsFeature(versions: MatrixVersions): DoctorResult {
  if (versions.unstableFeatures["org.matrix.msc4354"] === true) {
    return {
      id: "msc4354",
      status: "ok",
      message: "sticky events (MSC4354) advertised: sticky-dialect memberships work",
    };
  }
  return {
    id: "msc4354",
    status: "warn",
    message:
      "sticky events (MSC4354) not advertised: only needed for sticky-dialect members (matrix-js-sdk 43); legacy memberships still work",
    fix: "Synapse: experimental_features: { msc4354_enabled: true }",
  };
}

/**
 * `org.matrix.msc4143` (MatrixRTC): advertises `/rtc/transports`. Without it clients fall back
 * to `.well-known` `org.matrix.msc4143.rtc_foci`.
 *
 * @example
 * ```ts
 * checkMatrixRtcFeature(await matrix.versions());
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function checkMatrixRtcFeature(versions: MatrixVersions): DoctorResult {
  if (versions.unstableFeatures["org.matrix.msc4143"] === true) {
    return {
      id: "msc4143",
      status: "ok",
      message: "MatrixRTC (MSC4143) advertised: clients can ask /rtc/transports for the SFU",
    };
  }
  return {
    id: "msc4143",
    status: "warn",
    message:
      "MatrixRTC (MSC4143) not advertised: clients must find the SFU in .well-known org.matrix.msc4143.rtc_foci instead of /rtc/transports",
    fix: "Synapse: experimental_features: { msc4143_enabled: true } and matrix_rtc: { transports: [...] }",
  };
}

/**
 * The `/versions` request itself: a homeserver that does not answer fails everything.
 *
 * @example
 * ```ts
 * const result = versionsReached(homeserver, versions.versions);
 * ```
 */
export function versionsReached(homeserver: string, specVersions: readonly string[]): DoctorResult {
  const latest = specVersions.at(-1) ?? "none";
  return {
    id: "versions",
    status: "ok",
    message: `${homeserver} answers /versions (${specVersions.length} spec versions, latest ${latest})`,
  };
}
