import { createDelayedEventTransport } from "@mxrtc/delayed-events";
import { createMatrixClient, type MatrixPort, type MatrixVersions } from "@mxrtc/matrix";
import type { RtcTransport } from "@mxrtc/types";
import { describeMatrixFailure } from "./describe-matrix-failure.js";
import { checkDelayedEventLimits, checkToken } from "./doctor-account-checks.js";
import type { DoctorContext, DoctorResult } from "./doctor-check.js";
import {
  checkRtcTransports,
  checkTransportSource,
  checkWellKnownFoci,
} from "./doctor-discovery-checks.js";
import { checkFocusHealth, checkFocusToken } from "./doctor-focus-checks.js";
import {
  checkDelayedEventsFeature,
  checkMatrixRtcFeature,
  checkStickyEventsFeature,
  versionsReached,
} from "./doctor-versions-checks.js";
import { checkDelayedEventRoundTrip, checkMembershipPowerLevel } from "./doctor-write-checks.js";

/** `/versions` without the token, so a bad token is reported by its own check. */
async function anonymousVersions(port: MatrixPort, timeoutMs: number): Promise<MatrixVersions> {
  const body = await port.request<{ versions?: unknown; unstable_features?: unknown }>({
    method: "GET",
    path: "/_matrix/client/versions",
    auth: false,
    timeoutMs,
  });
  const versions = Array.isArray(body?.versions)
    ? body.versions.filter((version): version is string => typeof version === "string")
    : [];
  const unstableFeatures: Record<string, boolean> = {};
  if (typeof body?.unstable_features === "object" && body.unstable_features !== null) {
    for (const [name, on] of Object.entries(body.unstable_features)) {
      if (typeof on === "boolean") unstableFeatures[name] = on;
    }
  }
  return { versions, unstableFeatures };
}

/** Options of {@link runDoctor}. */
export interface RunDoctorOptions {
  readonly homeserver: string;
  readonly accessToken?: string;
  /** A room to write in (delayed event, power level, token request). */
  readonly writeRoomId?: string;
  /** Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Per-request timeout, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Default `Date.now`. */
  readonly now?: () => number;
  /** Called with each result as soon as it is known (for live output). */
  readonly onResult?: (result: DoctorResult) => void;
}

/** The whole doctor run. */
export interface DoctorReport {
  readonly homeserver: string;
  /** True when nothing a call needs failed (exit code 0). */
  readonly ok: boolean;
  readonly results: readonly DoctorResult[];
}

/**
 * Check a MatrixRTC deployment: `/versions` features, delayed-event limits, `.well-known` and
 * `/rtc/transports`, each focus service (health and a real token request) and, with a write
 * room, a real delayed event and the membership power level.
 *
 * @remarks `ok` is false when something a call needs fails: the homeserver, MSC4140, the token
 * (when given), a transport source, a focus service that is advertised, and the write checks.
 * Never throws.
 * @example
 * ```ts
 * const report = await runDoctor({ homeserver: "http://127.0.0.1:8008", accessToken });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export async function runDoctor(options: RunDoctorOptions): Promise<DoctorReport> {
  const results: DoctorResult[] = [];
  const add = (result: DoctorResult | undefined) => {
    if (result === undefined) return;
    results.push(result);
    options.onResult?.(result);
  };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const port = createMatrixClient({
    baseUrl: options.homeserver,
    accessToken: options.accessToken ?? "",
    fetch: fetchImpl,
    defaultTimeoutMs: timeoutMs,
  });
  let context: DoctorContext = {
    fetch: fetchImpl,
    homeserver: options.homeserver,
    timeoutMs,
    ...(options.accessToken === undefined ? {} : { matrix: port }),
  };
  const finish = (): DoctorReport => ({
    homeserver: options.homeserver,
    ok: results.every((result) => result.status !== "fail"),
    results,
  });

  try {
    const versions = await anonymousVersions(port, timeoutMs);
    add(versionsReached(options.homeserver, versions.versions));
    add(checkDelayedEventsFeature(versions));
    add(checkStickyEventsFeature(versions));
    add(checkMatrixRtcFeature(versions));
  } catch (error) {
    add({
      id: "versions",
      status: "fail",
      message: describeMatrixFailure(error, { homeserver: options.homeserver }),
      fix: "check the URL (the client-server API base, e.g. https://matrix.example.org) and that the homeserver runs",
    });
    return finish();
  }

  const token = await checkToken(context);
  add(token.result);
  if (token.identity !== undefined) context = { ...context, identity: token.identity };
  add(await checkDelayedEventLimits(context));

  const found: RtcTransport[] = [];
  add(await checkRtcTransports(context, found));
  const origins = [new URL(options.homeserver).origin];
  const serverName = token.identity?.serverName;
  if (serverName !== undefined && !origins.includes(`https://${serverName}`)) {
    origins.push(`https://${serverName}`);
  }
  for (const origin of origins) add(await checkWellKnownFoci(context, origin, found));
  add(checkTransportSource(found));

  for (const transport of found) {
    add(await checkFocusHealth(context, transport));
    add(await checkFocusToken(context, transport, options.writeRoomId));
  }

  if (options.writeRoomId !== undefined && context.identity !== undefined) {
    const delayedEvents = createDelayedEventTransport({ matrix: port });
    add(await checkMembershipPowerLevel(context, context.identity, options.writeRoomId));
    add(
      await checkDelayedEventRoundTrip(
        context,
        delayedEvents,
        context.identity,
        options.writeRoomId,
        options.now,
      ),
    );
  }
  return finish();
}
