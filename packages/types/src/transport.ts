import { MEDIASOUP_TRANSPORT_TYPE, PARSE_LIMITS } from "./constants.js";
import type { ParseResult } from "./parse-result.js";
import {
  asRecord,
  asString,
  copyJson,
  field,
  guard,
  invalid,
  isRecord,
  type JsonRecord,
} from "./read.js";

/**
 * A media transport (a "focus" in the legacy dialect): `{ type, …transport-specific }`.
 *
 * @remarks Parsed transports are deep-frozen copies. Unknown types are kept verbatim so a
 * third-party focus plugin can claim them by `type`.
 * @example
 * ```ts
 * const transport: RtcTransport = { type: "livekit", livekit_service_url: "https://rtc.example.org/livekit/jwt" };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcTransport {
  readonly type: string;
  readonly [key: string]: unknown;
}

/**
 * LiveKit transport (MSC4195): the JWT service URL, plus the LiveKit room name in legacy events.
 *
 * @remarks The 2026-07-21 MSC4195 head sends only `{ "type": "livekit" }`; such a transport parses
 * but is not a `LivekitTransport` (no URL to fetch a token from).
 * @example
 * ```ts
 * if (isLivekitTransport(transport)) fetch(`${transport.livekit_service_url}/get_token`);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface LivekitTransport extends RtcTransport {
  readonly type: "livekit";
  readonly livekit_service_url: string;
  readonly livekit_alias?: string;
}

/**
 * Full-mesh transport (MSC3401): peers connect directly, no server.
 *
 * @example
 * ```ts
 * const mesh: FullMeshTransport = { type: "full_mesh" };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/3401
 */
export interface FullMeshTransport extends RtcTransport {
  readonly type: "full_mesh";
}

/**
 * mxrtc's mediasoup transport: `signalling_url` is the ws(s) URL of the SFU's signalling endpoint.
 *
 * @remarks Defined in this package's README ("The io.mxrtc.mediasoup transport").
 * @example
 * ```ts
 * const sfu: MediasoupTransport = { type: "io.mxrtc.mediasoup", signalling_url: "wss://sfu.example.org/ws" };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface MediasoupTransport extends RtcTransport {
  readonly type: typeof MEDIASOUP_TRANSPORT_TYPE;
  readonly signalling_url: string;
}

/** Parses and freezes one transport; throws `Invalid` (inside a guard). */
export function readTransport(value: unknown, path: string): RtcTransport {
  const record = asRecord(value, path);
  const type = asString(field(record, "type"), `${path}.type`);
  const transport = copyJson(record, path) as RtcTransport;
  const check = (key: string, pattern?: RegExp) => {
    const item = field(transport, key);
    if (item === undefined && !pattern) return;
    const text = asString(item, `${path}.${key}`);
    if (pattern && !pattern.test(text)) invalid(`${path}.${key}`, "expected a ws:// or wss:// URL");
  };
  if (type === "livekit") {
    check("livekit_service_url");
    check("livekit_alias");
  } else if (type === MEDIASOUP_TRANSPORT_TYPE) {
    check("signalling_url", /^wss?:\/\/[^\s/]/i);
  }
  return transport;
}

/**
 * Parses one transport from untrusted JSON. Never throws.
 *
 * @remarks Requires an object with a non-empty string `type`. `livekit`: `livekit_service_url` and
 * `livekit_alias` must be strings when present. `io.mxrtc.mediasoup`: `signalling_url` is required
 * and must be a ws(s) URL. Other types are kept verbatim. The result is a deep-frozen copy, capped
 * by {@link PARSE_LIMITS}.
 * @param value - the untrusted transport.
 * @param path - prefix for error paths (default `"transport"`).
 * @example
 * ```ts
 * const result = parseTransport({ type: "livekit", livekit_service_url: "https://rtc.example.org" });
 * if (result.ok && isLivekitTransport(result.value)) console.log(result.value.livekit_service_url);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function parseTransport(value: unknown, path = "transport"): ParseResult<RtcTransport> {
  return guard(path, () => readTransport(value, path));
}

/** Reads an array of transports, capped at {@link PARSE_LIMITS.maxTransports}. */
export function readTransports(value: unknown, path: string): readonly RtcTransport[] {
  if (!Array.isArray(value)) return invalid(path, "expected an array of transports");
  if (value.length > PARSE_LIMITS.maxTransports) {
    invalid(path, `more than ${PARSE_LIMITS.maxTransports} transports (${value.length})`);
  }
  return Object.freeze(value.map((entry, index) => readTransport(entry, `${path}[${index}]`)));
}

/**
 * True for a LiveKit transport that names its JWT service.
 *
 * @example
 * ```ts
 * isLivekitTransport({ type: "livekit", livekit_service_url: "https://rtc.example.org" }); // true
 * isLivekitTransport({ type: "livekit" }); // false: nothing to connect to
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function isLivekitTransport(transport: RtcTransport): transport is LivekitTransport {
  return (
    transport.type === "livekit" &&
    typeof transport.livekit_service_url === "string" &&
    (transport.livekit_alias === undefined || typeof transport.livekit_alias === "string")
  );
}

/**
 * True for a full-mesh transport.
 *
 * @example
 * ```ts
 * isFullMeshTransport({ type: "full_mesh" }); // true
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/3401
 */
export function isFullMeshTransport(transport: RtcTransport): transport is FullMeshTransport {
  return transport.type === "full_mesh";
}

/**
 * True for an mxrtc mediasoup transport with a string `signalling_url`.
 *
 * @example
 * ```ts
 * isMediasoupTransport({ type: "io.mxrtc.mediasoup", signalling_url: "wss://sfu.example.org/ws" }); // true
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function isMediasoupTransport(transport: RtcTransport): transport is MediasoupTransport {
  return (
    transport.type === MEDIASOUP_TRANSPORT_TYPE && typeof transport.signalling_url === "string"
  );
}

/**
 * Deep structural equality of two transports (key order ignored).
 *
 * @remarks Compares JSON values; recursion stops at {@link PARSE_LIMITS.maxDepth} (deeper values
 * compare unequal), so cyclic input cannot hang it.
 * @example
 * ```ts
 * transportsEqual({ type: "full_mesh" }, { type: "full_mesh" }); // true
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function transportsEqual(a: RtcTransport, b: RtcTransport): boolean {
  return jsonEqual(a, b, 0);
}

function jsonEqual(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (depth > PARSE_LIMITS.maxDepth || typeof a !== "object" || typeof b !== "object" || !a || !b)
    return false;
  if (Array.isArray(a)) {
    return (
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => jsonEqual(item, b[index], depth + 1))
    );
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(
      (key) => Object.hasOwn(b, key) && jsonEqual(a[key], (b as JsonRecord)[key], depth + 1),
    )
  );
}
