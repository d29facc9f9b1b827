/**
 * Error classes of `@mxrtc/matrix`. Check them with `X.isInstance(error)`, never `instanceof`: an
 * app may load two copies of this package, and the `Symbol.for` markers work across copies.
 */

const baseMarker = Symbol.for("@mxrtc/matrix/MatrixPortError");
const matrixErrorMarker = Symbol.for("@mxrtc/matrix/MatrixError");
const connectionErrorMarker = Symbol.for("@mxrtc/matrix/MatrixConnectionError");
const responseErrorMarker = Symbol.for("@mxrtc/matrix/MatrixResponseError");

function hasMarker(value: unknown, marker: symbol): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { readonly [key: symbol]: unknown })[marker] === true
  );
}

function mark(target: object, marker: symbol): void {
  Object.defineProperty(target, marker, { value: true, enumerable: false });
}

/** Where a failed request went (no query string, no token). */
export interface MatrixRequestTarget {
  readonly method?: string;
  readonly path?: string;
}

/**
 * Base class of every error this package throws.
 *
 * @example
 * ```ts
 * if (MatrixPortError.isInstance(error)) console.warn("Matrix request failed", error.message);
 * ```
 */
export class MatrixPortError extends Error {
  /** HTTP method of the failed request, if any. */
  readonly method: string | undefined;
  /** Path of the failed request, if any. */
  readonly path: string | undefined;

  constructor(message: string, target: MatrixRequestTarget = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MatrixPortError";
    this.method = target.method;
    this.path = target.path;
    mark(this, baseMarker);
  }

  /** True for any error from this package, whichever copy of it threw. */
  static isInstance(value: unknown): value is MatrixPortError {
    return hasMarker(value, baseMarker);
  }
}

/** Input for {@link MatrixError}. */
export interface MatrixErrorInit extends MatrixRequestTarget {
  readonly status: number;
  readonly errcode?: string;
  readonly retryAfterMs?: number;
  /** The server's body: parsed JSON, or the text when it is not JSON. */
  readonly body: unknown;
}

/**
 * The homeserver answered with a non-2xx status.
 *
 * @remarks `retryAfterMs` comes from the `Retry-After` header (seconds or an HTTP-date) first,
 * then from the body's deprecated `retry_after_ms`.
 *
 * @example
 * ```ts
 * try { await matrix.sendEvent(roomId, "m.room.message", content); }
 * catch (error) {
 *   if (MatrixError.isInstance(error) && error.errcode === "M_LIMIT_EXCEEDED") await sleep(error.retryAfterMs ?? 5000);
 * }
 * ```
 */
export class MatrixError extends MatrixPortError {
  readonly status: number;
  readonly errcode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly body: unknown;

  constructor(init: MatrixErrorInit) {
    const serverMessage =
      typeof init.body === "object" &&
      init.body !== null &&
      typeof (init.body as { error?: unknown }).error === "string"
        ? (init.body as { error: string }).error
        : undefined;
    const where = init.method && init.path ? ` (${init.method} ${init.path})` : "";
    super(
      `${init.errcode ?? "HTTP error"} ${init.status}${serverMessage ? `: ${serverMessage}` : ""}${where}`,
      init,
    );
    this.name = "MatrixError";
    this.status = init.status;
    this.errcode = init.errcode;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
    mark(this, matrixErrorMarker);
  }

  /** True for a `MatrixError` from any copy of this package. */
  static override isInstance(value: unknown): value is MatrixError {
    return hasMarker(value, matrixErrorMarker);
  }
}

/**
 * No reply from the homeserver: the network failed (`reason: "network"`, the fetch error is the
 * `cause`) or the per-request timeout elapsed (`reason: "timeout"`).
 *
 * @example
 * ```ts
 * if (MatrixConnectionError.isInstance(error) && error.reason === "timeout") retryLater();
 * ```
 */
export class MatrixConnectionError extends MatrixPortError {
  readonly reason: "network" | "timeout";

  constructor(
    reason: "network" | "timeout",
    message: string,
    target: MatrixRequestTarget = {},
    options?: { cause?: unknown },
  ) {
    super(message, target, options);
    this.name = "MatrixConnectionError";
    this.reason = reason;
    mark(this, connectionErrorMarker);
  }

  /** True for a `MatrixConnectionError` from any copy of this package. */
  static override isInstance(value: unknown): value is MatrixConnectionError {
    return hasMarker(value, connectionErrorMarker);
  }
}

/**
 * The homeserver answered 2xx but the body is not JSON or not the expected shape.
 *
 * @example
 * ```ts
 * if (MatrixResponseError.isInstance(error)) console.warn(error.status, error.body.slice(0, 200));
 * ```
 */
export class MatrixResponseError extends MatrixPortError {
  readonly status: number;
  /** The body text as received. */
  readonly body: string;

  constructor(
    status: number,
    body: string,
    message: string,
    target: MatrixRequestTarget = {},
    options?: { cause?: unknown },
  ) {
    super(message, target, options);
    this.name = "MatrixResponseError";
    this.status = status;
    this.body = body;
    mark(this, responseErrorMarker);
  }

  /** True for a `MatrixResponseError` from any copy of this package. */
  static override isInstance(value: unknown): value is MatrixResponseError {
    return hasMarker(value, responseErrorMarker);
  }
}
