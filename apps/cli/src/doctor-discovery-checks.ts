import { RTC_TRANSPORTS_PATH, WELL_KNOWN_FOCI_KEY } from "@mxrtc/session";
import { parseTransport, type RtcTransport, transportsEqual } from "@mxrtc/types";
import { describeMatrixFailure } from "./describe-matrix-failure.js";
import { type DoctorContext, type DoctorResult, fetchJson, reasonOf } from "./doctor-check.js";

/** Valid transports of a list; invalid entries are counted. */
function readTransports(value: unknown): { transports: RtcTransport[]; invalid: number } {
  if (!Array.isArray(value)) return { transports: [], invalid: 0 };
  const transports: RtcTransport[] = [];
  let invalid = 0;
  for (const entry of value) {
    const parsed = parseTransport(entry);
    if (parsed.ok) transports.push(parsed.value);
    else invalid++;
  }
  return { transports, invalid };
}

function describeList(transports: readonly RtcTransport[]): string {
  return transports
    .map((transport) => {
      const url = transport.livekit_service_url ?? transport.signalling_url;
      return typeof url === "string" ? `${transport.type} ${url}` : transport.type;
    })
    .join(", ");
}

/** Add transports not yet in `into` (structural equality). */
export function mergeTransports(into: RtcTransport[], found: readonly RtcTransport[]): void {
  for (const transport of found) {
    if (!into.some((known) => transportsEqual(known, transport))) into.push(transport);
  }
}

/**
 * `.well-known/matrix/client` at `origin`: the `org.matrix.msc4143.rtc_foci` list clients fall
 * back to. Missing is a warning (`/rtc/transports` may be enough); the transports found go to
 * `found`.
 *
 * @example
 * ```ts
 * await checkWellKnownFoci(context, "https://example.org", found);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4158
 */
export async function checkWellKnownFoci(
  context: DoctorContext,
  origin: string,
  found: RtcTransport[],
): Promise<DoctorResult> {
  const url = `${origin}/.well-known/matrix/client`;
  const id = `well-known:${origin}`;
  const fix = `serve ${url} with "${WELL_KNOWN_FOCI_KEY}": [{ "type": "livekit", "livekit_service_url": "https://…/livekit/jwt" }] (Synapse: serve_client_wellknown + extra_well_known_client_content)`;
  let reply: Awaited<ReturnType<typeof fetchJson>>;
  try {
    reply = await fetchJson(context, url);
  } catch (error) {
    return { id, status: "warn", message: `${url} unreachable: ${reasonOf(error)}`, fix };
  }
  if (reply.status !== 200 || typeof reply.body !== "object" || reply.body === null) {
    return {
      id,
      status: "warn",
      message: `${url} gave HTTP ${reply.status}, not a JSON object`,
      fix,
    };
  }
  const foci = (reply.body as Record<string, unknown>)[WELL_KNOWN_FOCI_KEY];
  const { transports, invalid } = readTransports(foci);
  mergeTransports(found, transports);
  if (transports.length === 0) {
    return {
      id,
      status: "warn",
      message: `${url} has no usable ${WELL_KNOWN_FOCI_KEY}${invalid > 0 ? ` (${invalid} invalid entries)` : ""}`,
      fix,
    };
  }
  return {
    id,
    status: invalid > 0 ? "warn" : "ok",
    message: `${url} lists ${describeList(transports)}${invalid > 0 ? ` (+${invalid} invalid entries skipped)` : ""}`,
    ...(invalid > 0 ? { fix: "remove or fix the invalid rtc_foci entries" } : {}),
  };
}

/**
 * `GET /_matrix/client/unstable/org.matrix.msc4143/rtc/transports` (authenticated): the
 * transports the homeserver offers. Missing is a warning (`.well-known` may be enough).
 *
 * @example
 * ```ts
 * await checkRtcTransports(context, found);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export async function checkRtcTransports(
  context: DoctorContext,
  found: RtcTransport[],
): Promise<DoctorResult> {
  const id = "rtc-transports";
  const fix =
    "Synapse: experimental_features: { msc4143_enabled: true } and matrix_rtc: { transports: [{ type: livekit, livekit_service_url: … }] }";
  if (context.matrix === undefined) {
    return {
      id,
      status: "warn",
      message: "skipped /rtc/transports: needs --token",
      fix: "pass --token",
    };
  }
  let body: { rtc_transports?: unknown };
  try {
    body = await context.matrix.request<{ rtc_transports?: unknown }>({
      method: "GET",
      path: RTC_TRANSPORTS_PATH,
      timeoutMs: context.timeoutMs,
    });
  } catch (error) {
    return {
      id,
      status: "warn",
      message: `/rtc/transports not available: ${describeMatrixFailure(error, { homeserver: context.homeserver })}`,
      fix,
    };
  }
  const { transports, invalid } = readTransports(body?.rtc_transports);
  mergeTransports(found, transports);
  if (transports.length === 0) {
    return { id, status: "warn", message: "/rtc/transports lists no usable transport", fix };
  }
  return {
    id,
    status: "ok",
    message: `/rtc/transports lists ${describeList(transports)}${invalid > 0 ? ` (+${invalid} invalid skipped)` : ""}`,
  };
}

/**
 * Needed: at least one transport source (`/rtc/transports` or a `.well-known`) names a
 * transport, or clients have nowhere to send media.
 *
 * @example
 * ```ts
 * checkTransportSource(found);
 * ```
 */
export function checkTransportSource(found: readonly RtcTransport[]): DoctorResult {
  if (found.length > 0) {
    return {
      id: "transport-source",
      status: "ok",
      message: `clients will find ${found.length} transport${found.length === 1 ? "" : "s"}: ${describeList(found)}`,
    };
  }
  return {
    id: "transport-source",
    status: "fail",
    message: "no transport found in /rtc/transports or .well-known: clients cannot find an SFU",
    fix: 'advertise your focus service (lk-jwt-service) in matrix_rtc.transports and/or .well-known "org.matrix.msc4143.rtc_foci"',
  };
}
