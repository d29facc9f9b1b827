import { FocusError } from "@mxrtc/focus";

const marker = Symbol.for("@mxrtc/focus-livekit/LivekitFocusError");

/**
 * The codes a {@link LivekitFocusError} carries.
 *
 * @remarks
 * - `"unsupported-transport"`: not a `livekit` transport, or no usable `livekit_service_url`.
 * - `"aborted"`: the connect signal aborted, or the connection was closed meanwhile.
 * - `"openid-failed"`: the homeserver did not give an OpenID token.
 * - `"bad-request"` (400), `"unauthorized"` (401), `"forbidden"` (403), `"not-found"` (404 from both
 *   token endpoints), `"rate-limited"` (429), `"service-error"` (5xx and any other status): the
 *   token service's answer; `status` and `errcode` say more.
 * - `"service-unreachable"`: no answer (connection refused, DNS, TLS); `"timeout"`: no answer in time.
 * - `"malformed-response"`: a 2xx answer that is not JSON or lacks `url`/`jwt`.
 * - `"connect-failed"`: the LiveKit room connection failed (signalling or ICE).
 * - `"connection-lost"`: the cause attached to a leave-port report when the room was lost.
 * - `"publish-failed"`: getting or publishing the local tracks failed (`ready` rejects).
 * - `"closed"`: the connection is closed.
 * - `"invalid-delegation"`: `delegateDelayedLeave` got no delay id or a bad delay.
 *
 * @example
 * ```ts
 * const code: LivekitFocusErrorCode = "unauthorized";
 * ```
 */
export type LivekitFocusErrorCode =
  | "unsupported-transport"
  | "aborted"
  | "openid-failed"
  | "bad-request"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "rate-limited"
  | "service-error"
  | "service-unreachable"
  | "timeout"
  | "malformed-response"
  | "connect-failed"
  | "connection-lost"
  | "publish-failed"
  | "closed"
  | "invalid-delegation";

/**
 * Options for {@link LivekitFocusError}.
 *
 * @example
 * ```ts
 * const options: LivekitFocusErrorOptions = { code: "unauthorized", status: 401, errcode: "M_UNAUTHORIZED" };
 * ```
 */
export interface LivekitFocusErrorOptions {
  /** What went wrong. */
  readonly code: LivekitFocusErrorCode;
  /** The token service's HTTP status, when it answered. */
  readonly status?: number;
  /** The token service's Matrix-style `errcode`, when it sent one. */
  readonly errcode?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * The error every part of `@mxrtc/focus-livekit` throws: a `FocusError` with `focusType`
 * `"livekit"` plus the token service's `status` and `errcode`.
 *
 * @remarks Check it with {@link LivekitFocusError.isInstance} (or `FocusError.isInstance` for any
 * focus), never `instanceof`: the `Symbol.for` marker works across bundled copies.
 *
 * @example
 * ```ts
 * import { LivekitFocusError } from "@mxrtc/focus-livekit";
 *
 * try {
 *   await plugin.connect(options);
 * } catch (error) {
 *   if (LivekitFocusError.isInstance(error) && error.code === "unauthorized") console.log(error.errcode);
 * }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export class LivekitFocusError extends FocusError {
  /** Cross-copy marker; see {@link LivekitFocusError.isInstance}. */
  readonly [marker] = true;
  declare readonly code: LivekitFocusErrorCode;
  /** The token service's HTTP status, when it answered. */
  readonly status?: number;
  /** The token service's `errcode`, when it sent one. */
  readonly errcode?: string;

  constructor(message: string, options: LivekitFocusErrorOptions) {
    super(message, {
      code: options.code,
      focusType: "livekit",
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = "LivekitFocusError";
    if (options.status !== undefined) this.status = options.status;
    if (options.errcode !== undefined) this.errcode = options.errcode;
  }

  /** True for a {@link LivekitFocusError} from any copy of this package. */
  static override isInstance(value: unknown): value is LivekitFocusError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { readonly [marker]?: unknown })[marker] === true
    );
  }
}
