const marker = Symbol.for("@mxrtc/livekit-auth/LivekitAuthError");

/**
 * Base error of `@mxrtc/livekit-auth`: configuration problems (`code: "config"`), homeserver
 * lookups that failed (`"homeserver-unreachable"`), and the HTTP API's refusals (`"http"`, with
 * `status` and `errcode` as lk-jwt-service answers them).
 *
 * @remarks Check with {@link LivekitAuthError.isInstance}, never `instanceof`: a bundle may hold
 * another copy of this package.
 * @example
 * ```ts
 * try { loadConfigFromEnv(process.env); }
 * catch (error) { if (LivekitAuthError.isInstance(error)) console.error(error.message); }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export class LivekitAuthError extends Error {
  /** Machine-readable reason: `"config"`, `"http"`, `"homeserver-unreachable"`, `"store"`. */
  readonly code: string;
  /** HTTP status to answer with (for `code: "http"`), 500 otherwise. */
  readonly status: number;
  /** Matrix errcode to answer with, e.g. `M_BAD_JSON`. */
  readonly errcode: string;
  readonly [marker] = true;

  constructor(
    code: string,
    message: string,
    options: { status?: number; errcode?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LivekitAuthError";
    this.code = code;
    this.status = options.status ?? 500;
    this.errcode = options.errcode ?? "M_UNKNOWN";
  }

  /** True for any `LivekitAuthError`, from any copy of this package. */
  static isInstance(value: unknown): value is LivekitAuthError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [marker]?: unknown })[marker] === true
    );
  }
}

/** An HTTP refusal with lk-jwt-service's status and errcode. */
export function httpError(status: number, errcode: string, message: string): LivekitAuthError {
  return new LivekitAuthError("http", message, { status, errcode });
}
