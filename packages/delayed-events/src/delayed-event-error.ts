/**
 * The typed errors of `@mxrtc/delayed-events`.
 *
 * Every error the transport throws (except the caller's own abort reason) is a
 * {@link DelayedEventError}. Check them with the static `isInstance` methods, never with
 * `instanceof`: a plugin may bundle its own copy of this package, and the `Symbol.for` marker
 * works across copies.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */

const marker = Symbol.for("@mxrtc/delayed-events/DelayedEventError");

/**
 * What went wrong, one value per error class.
 *
 * @remarks `"response"` is a {@link DelayedEventResponseError}, a kind of
 * {@link DelayedEventServerError}; `"invalid-input"` is thrown before any request is made.
 */
export type DelayedEventErrorCode =
  | "not-found"
  | "conflict"
  | "delay-too-long"
  | "too-many-delayed-events"
  | "rate-limited"
  | "unsupported"
  | "network"
  | "server"
  | "response"
  | "invalid-input";

/** Fields every {@link DelayedEventError} constructor accepts. */
export interface DelayedEventErrorOptions {
  /** The underlying error (usually a `MatrixError` or `MatrixConnectionError`). */
  readonly cause?: unknown;
  /** HTTP status of the server's reply, when there was one. */
  readonly status?: number;
  /** Matrix `errcode` of the reply (for the unstable nested form, the nested code). */
  readonly errcode?: string;
  /** The parsed reply body, when there was one. */
  readonly body?: unknown;
}

function hasCode(value: unknown, codes: readonly DelayedEventErrorCode[]): boolean {
  if (typeof value !== "object" || value === null) return false;
  const record = value as { [marker]?: unknown; code?: unknown };
  return record[marker] === true && codes.includes(record.code as DelayedEventErrorCode);
}

/**
 * Base class of every error thrown by the delayed-event transport.
 *
 * @remarks Carries the server's `status`, `errcode` and `body` when there was a reply, and the
 * original error as `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await transport.restart(delayId);
 * } catch (error) {
 *   if (DelayedEventNotFoundError.isInstance(error)) scheduleAgain();
 *   else if (DelayedEventError.isInstance(error)) console.warn(error.code, error.message);
 * }
 * ```
 */
export class DelayedEventError extends Error {
  /** Cross-copy marker; see {@link DelayedEventError.isInstance}. */
  readonly [marker] = true;
  /** What went wrong. */
  readonly code: DelayedEventErrorCode;
  /** HTTP status of the reply, if any. */
  readonly status: number | undefined;
  /** Matrix `errcode` of the reply, if any. */
  readonly errcode: string | undefined;
  /** Parsed reply body, if any. */
  readonly body: unknown;

  constructor(
    code: DelayedEventErrorCode,
    message: string,
    options: DelayedEventErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DelayedEventError";
    this.code = code;
    this.status = options.status;
    this.errcode = options.errcode;
    this.body = options.body;
  }

  /** True for any error thrown by any copy of this package. */
  static isInstance(value: unknown): value is DelayedEventError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as { [marker]?: unknown })[marker] === true
    );
  }
}

/**
 * The delayed event no longer exists: it already fired, was cancelled, or never existed
 * (404 `M_NOT_FOUND` on restart, cancel or send).
 *
 * @example
 * ```ts
 * if (DelayedEventNotFoundError.isInstance(error)) delayId = undefined;
 * ```
 */
export class DelayedEventNotFoundError extends DelayedEventError {
  constructor(message: string, options: DelayedEventErrorOptions = {}) {
    super("not-found", message, options);
    this.name = "DelayedEventNotFoundError";
  }
  /** True for a {@link DelayedEventNotFoundError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventNotFoundError {
    return hasCode(value, ["not-found"]);
  }
}

/**
 * The action conflicts with how the delayed event was finalised (409): for example `send` or
 * `restart` on a cancelled event, or `cancel` on a sent one (merged MSC4140).
 *
 * @example
 * ```ts
 * if (DelayedEventConflictError.isInstance(error)) console.info("already finalised");
 * ```
 */
export class DelayedEventConflictError extends DelayedEventError {
  constructor(message: string, options: DelayedEventErrorOptions = {}) {
    super("conflict", message, options);
    this.name = "DelayedEventConflictError";
  }
  /** True for a {@link DelayedEventConflictError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventConflictError {
    return hasCode(value, ["conflict"]);
  }
}

/**
 * The requested delay is longer than the server allows.
 *
 * @remarks `maxDelayMs` comes from the error body (`max_delay`, or the unstable
 * `org.matrix.msc4140.max_delay`) or, when the server only says 403 `M_FORBIDDEN`, from the
 * server's capabilities. It is undefined when neither says.
 *
 * @example
 * ```ts
 * if (DelayTooLongError.isInstance(error) && error.maxDelayMs !== undefined) {
 *   await transport.scheduleStateEvent({ ...input, delayMs: error.maxDelayMs });
 * }
 * ```
 */
export class DelayTooLongError extends DelayedEventError {
  /** The server's maximum delay in milliseconds, when known. */
  readonly maxDelayMs: number | undefined;
  constructor(
    message: string,
    options: DelayedEventErrorOptions & { readonly maxDelayMs?: number | undefined } = {},
  ) {
    super("delay-too-long", message, options);
    this.name = "DelayTooLongError";
    this.maxDelayMs = options.maxDelayMs;
  }
  /** True for a {@link DelayTooLongError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayTooLongError {
    return hasCode(value, ["delay-too-long"]);
  }
}

/**
 * The user already has as many delayed events scheduled as the server allows.
 *
 * @remarks Raised for 400 `M_MAX_DELAYED_EVENTS_EXCEEDED` (top-level or unstable nested), and for
 * a 429 on scheduling when the user's scheduled count has reached the server's `max_scheduled`
 * (see the README for how that is told apart from plain rate limiting). `retryAfterMs` is the
 * server's `Retry-After` when it gave one (the time until the user's next scheduled send).
 *
 * @example
 * ```ts
 * if (TooManyDelayedEventsError.isInstance(error)) await cancelStaleDelayedEvents();
 * ```
 */
export class TooManyDelayedEventsError extends DelayedEventError {
  /** How long to wait before trying again, when the server said. */
  readonly retryAfterMs: number | undefined;
  /** The server's maximum number of scheduled events per user, when known. */
  readonly maxScheduled: number | undefined;
  constructor(
    message: string,
    options: DelayedEventErrorOptions & {
      readonly retryAfterMs?: number | undefined;
      readonly maxScheduled?: number | undefined;
    } = {},
  ) {
    super("too-many-delayed-events", message, options);
    this.name = "TooManyDelayedEventsError";
    this.retryAfterMs = options.retryAfterMs;
    this.maxScheduled = options.maxScheduled;
  }
  /** True for a {@link TooManyDelayedEventsError} from any copy of this package. */
  static override isInstance(value: unknown): value is TooManyDelayedEventsError {
    return hasCode(value, ["too-many-delayed-events"]);
  }
}

/**
 * The server rate-limited the request (429 `M_LIMIT_EXCEEDED`).
 *
 * @example
 * ```ts
 * if (DelayedEventRateLimitedError.isInstance(error)) await sleep(error.retryAfterMs ?? 5000);
 * ```
 */
export class DelayedEventRateLimitedError extends DelayedEventError {
  /** How long to wait before trying again, when the server said. */
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: DelayedEventErrorOptions & { readonly retryAfterMs?: number | undefined } = {},
  ) {
    super("rate-limited", message, options);
    this.name = "DelayedEventRateLimitedError";
    this.retryAfterMs = options.retryAfterMs;
  }
  /** True for a {@link DelayedEventRateLimitedError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventRateLimitedError {
    return hasCode(value, ["rate-limited"]);
  }
}

/**
 * Delayed events are not available: the server does not advertise MSC4140 in `/versions`, every
 * endpoint form answered `M_UNRECOGNIZED`, the server said `M_MAX_DELAY_UNSUPPORTED`, or it
 * ignored the delay and sent the event at once (then `eventId` is that event).
 *
 * @example
 * ```ts
 * if (DelayedEventsUnsupportedError.isInstance(error)) joinWithoutDelayedLeave();
 * ```
 */
export class DelayedEventsUnsupportedError extends DelayedEventError {
  /** Set when the server ignored the delay and sent the event immediately. */
  readonly eventId: string | undefined;
  constructor(
    message: string,
    options: DelayedEventErrorOptions & { readonly eventId?: string | undefined } = {},
  ) {
    super("unsupported", message, options);
    this.name = "DelayedEventsUnsupportedError";
    this.eventId = options.eventId;
  }
  /** True for a {@link DelayedEventsUnsupportedError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventsUnsupportedError {
    return hasCode(value, ["unsupported"]);
  }
}

/**
 * No reply from the server (connection failure or timeout). The original
 * `MatrixConnectionError` is the `cause`.
 *
 * @example
 * ```ts
 * if (DelayedEventNetworkError.isInstance(error) && error.reason === "timeout") retrySoon();
 * ```
 */
export class DelayedEventNetworkError extends DelayedEventError {
  /** `"network"` (no connection) or `"timeout"` (no reply in time). */
  readonly reason: "network" | "timeout";
  constructor(
    message: string,
    options: DelayedEventErrorOptions & { readonly reason?: "network" | "timeout" } = {},
  ) {
    super("network", message, options);
    this.name = "DelayedEventNetworkError";
    this.reason = options.reason ?? "network";
  }
  /** True for a {@link DelayedEventNetworkError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventNetworkError {
    return hasCode(value, ["network"]);
  }
}

/**
 * The server answered with something this package has no better class for: a 5xx, a 403 that
 * is not about the delay, 401, any other unexpected status or errcode. `status`, `errcode` and
 * `body` are kept.
 *
 * @remarks {@link DelayedEventResponseError} (a malformed 2xx reply) is a subclass, so
 * `DelayedEventServerError.isInstance` is true for it too.
 *
 * @example
 * ```ts
 * if (DelayedEventServerError.isInstance(error) && error.status >= 500) retryLater();
 * ```
 */
export class DelayedEventServerError extends DelayedEventError {
  /** HTTP status of the reply (0 when the failure had no HTTP status at all). */
  declare readonly status: number;
  constructor(
    message: string,
    options: DelayedEventErrorOptions & { readonly status: number },
    code: "server" | "response" = "server",
  ) {
    super(code, message, options);
    this.name = "DelayedEventServerError";
  }
  /** True for a {@link DelayedEventServerError} (or a response error) from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventServerError {
    return hasCode(value, ["server", "response"]);
  }
}

/**
 * The server answered 2xx but the reply is not what the API promises: no `delay_id` after
 * scheduling, a listing that is not a list, or a body that is not JSON.
 *
 * @example
 * ```ts
 * if (DelayedEventResponseError.isInstance(error)) console.error(error.message, error.body);
 * ```
 */
export class DelayedEventResponseError extends DelayedEventServerError {
  constructor(message: string, options: DelayedEventErrorOptions & { readonly status: number }) {
    super(message, options, "response");
    this.name = "DelayedEventResponseError";
  }
  /** True for a {@link DelayedEventResponseError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventResponseError {
    return hasCode(value, ["response"]);
  }
}

/**
 * The caller passed something the transport cannot send (a delay that is not a positive whole
 * number of milliseconds, an empty room id or delay id). Thrown before any request.
 *
 * @example
 * ```ts
 * await transport.scheduleStateEvent({ ...input, delayMs: -1 }); // rejects with DelayedEventInputError
 * ```
 */
export class DelayedEventInputError extends DelayedEventError {
  constructor(message: string) {
    super("invalid-input", message);
    this.name = "DelayedEventInputError";
  }
  /** True for a {@link DelayedEventInputError} from any copy of this package. */
  static override isInstance(value: unknown): value is DelayedEventInputError {
    return hasCode(value, ["invalid-input"]);
  }
}
