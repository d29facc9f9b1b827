import { MEDIASOUP_TRANSPORT_TYPE, PARSE_LIMITS } from "./constants.js";
import type { ParseResult } from "./parse-result.js";
import {
  asRecord,
  asString,
  copyJson,
  failure,
  field,
  invalid,
  isGoodString,
  isRecord,
  type JsonRecord,
  prefixed,
  withPrefix,
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

const WEBSOCKET_URL = /^wss?:\/\/[^\s/]/i;

/**
 * Parses and freezes one transport; throws `Invalid` with a path relative to the transport
 * (`""`, `".type"`, …), so callers build path strings only for errors. Returns `reuse` when it is
 * an equal, frozen transport parsed before.
 */
function readTransportRelative(value: unknown, reuse: unknown): RtcTransport {
  const record = asRecord(value, "");
  const type = field(record, "type");
  if (!isGoodString(type)) asString(type, ".type");
  const transport = copyJson(record, "", reuse) as RtcTransport;
  if (type === "livekit") {
    const url = field(transport, "livekit_service_url");
    if (url !== undefined && !isGoodString(url)) asString(url, ".livekit_service_url");
    const alias = field(transport, "livekit_alias");
    if (alias !== undefined && !isGoodString(alias)) asString(alias, ".livekit_alias");
  } else if (type === MEDIASOUP_TRANSPORT_TYPE) {
    const url = field(transport, "signalling_url");
    if (!isGoodString(url)) asString(url, ".signalling_url");
    if (!WEBSOCKET_URL.test(url as string))
      invalid(".signalling_url", "expected a ws:// or wss:// URL");
  }
  return transport;
}

/** Parses and freezes one transport; throws `Invalid` (inside a guard). */
export function readTransport(value: unknown, path: string): RtcTransport {
  try {
    return readTransportRelative(value, undefined);
  } catch (error) {
    return prefixed(error, path);
  }
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
  try {
    return { ok: true, value: readTransportRelative(value, undefined) };
  } catch (error) {
    return failure(withPrefix(error, path), path);
  }
}

/**
 * Reads an array of transports, capped at {@link PARSE_LIMITS.maxTransports}. Returns `reuse`
 * (transports parsed before, e.g. from the same member's previous event) when every transport is
 * equal to it, so an unchanged list allocates nothing.
 */
export function readTransports(
  value: unknown,
  path: string,
  reuse?: readonly RtcTransport[],
): readonly RtcTransport[] {
  if (!Array.isArray(value)) return invalid(path, "expected an array of transports");
  const length = value.length;
  if (length > PARSE_LIMITS.maxTransports) {
    invalid(path, `more than ${PARSE_LIMITS.maxTransports} transports (${length})`);
  }
  const reusable =
    Array.isArray(reuse) && reuse.length === length && Object.isFrozen(reuse) ? reuse : undefined;
  let same = reusable !== undefined;
  const transports: RtcTransport[] = [];
  for (let index = 0; index < length; index++) {
    // Array.prototype.map semantics: holes stay holes.
    if (!(index in value)) {
      same = false;
      transports.length = index + 1;
      continue;
    }
    const previous = reusable === undefined ? undefined : reusable[index];
    let transport: RtcTransport;
    try {
      transport = readTransportRelative(value[index], previous);
    } catch (error) {
      return prefixed(error, `${path}[${index}]`);
    }
    if (transport !== previous) same = false;
    transports[index] = transport;
  }
  if (same) return reusable as readonly RtcTransport[];
  if (transports.length !== length) transports.length = length;
  return Object.freeze(transports);
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
