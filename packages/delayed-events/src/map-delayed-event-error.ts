import { MatrixConnectionError, MatrixError, MatrixResponseError } from "@mxrtc/matrix";
import {
  DelayedEventConflictError,
  DelayedEventError,
  DelayedEventNetworkError,
  DelayedEventNotFoundError,
  DelayedEventRateLimitedError,
  DelayedEventResponseError,
  DelayedEventServerError,
  DelayedEventsUnsupportedError,
  DelayTooLongError,
  TooManyDelayedEventsError,
} from "./delayed-event-error.js";

/** What the failed call was doing; decides how 404 and 403 are read. */
export type DelayedEventOperation = "schedule" | "manage" | "list" | "limits";

/** What the transport knows when it maps an error. */
export interface ErrorMappingContext {
  readonly operation: DelayedEventOperation;
  /** The delay that was asked for (scheduling only). */
  readonly delayMs?: number;
  /** The server's maximum delay from capabilities, when known. */
  readonly maxDelayMs?: number;
  /** The server's maximum scheduled count from capabilities, when known. */
  readonly maxScheduled?: number;
  /** For a 429 on scheduling: true when the user's scheduled count has reached `maxScheduled`. */
  readonly atMaxScheduled?: boolean;
}

/** The error code a Matrix error reply means, unwrapping the unstable nested form. */
export interface ErrorReplyFacts {
  readonly status: number;
  /** Top-level `errcode`, or `org.matrix.msc4140.errcode` when the top level is `M_UNKNOWN`. */
  readonly errcode: string | undefined;
  /** `max_delay` or `org.matrix.msc4140.max_delay` from the body. */
  readonly maxDelayMs: number | undefined;
  /** The maximum as Synapse 1.163 states it, in prose: "… exceeds the allowed maximum (86400000ms)". */
  readonly maxDelayMsFromMessage: number | undefined;
  /** The body's human-readable `error`, if any. */
  readonly message: string | undefined;
}

const nestedErrcodeKey = "org.matrix.msc4140.errcode";
const nestedMaxDelayKey = "org.matrix.msc4140.max_delay";

function numberField(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Read errcode and max delay from a MatrixError, whichever MSC4140 revision produced it. */
export function readErrorReply(error: MatrixError): ErrorReplyFacts {
  const body =
    typeof error.body === "object" && error.body !== null && !Array.isArray(error.body)
      ? (error.body as Record<string, unknown>)
      : {};
  const nested = body[nestedErrcodeKey];
  const errcode =
    (error.errcode === undefined || error.errcode === "M_UNKNOWN") && typeof nested === "string"
      ? nested
      : error.errcode;
  const message = typeof body.error === "string" ? body.error : undefined;
  const fromMessage =
    message === undefined ? undefined : /maximum \((\d+) ?ms\)/.exec(message)?.[1];
  return {
    status: error.status,
    errcode,
    maxDelayMs:
      numberField(body, "max_delay") ??
      numberField(body, nestedMaxDelayKey) ??
      numberField(body, "max_delay_ms"),
    maxDelayMsFromMessage: fromMessage === undefined ? undefined : Number(fromMessage),
    message,
  };
}

/** Synapse's 429 for the per-user cap says so in its message (plain rate limiting says "Too Many Requests"). */
const TOO_MANY_SCHEDULED_MESSAGE = /maximum number of delayed events/i;

/** Synapse's 403 when delayed events are switched off: "Sending delayed events has been disallowed". */
const DISALLOWED_MESSAGE = /delayed events has been disallowed/i;

/** True when the reply's own message says the per-user cap of scheduled events is reached. */
export function saysTooManyScheduled(error: MatrixError): boolean {
  return TOO_MANY_SCHEDULED_MESSAGE.test(readErrorReply(error).message ?? "");
}

/** `M_MAX_DELAY_EXCEEDED` and the 2026-03 unstable spelling `ORG.MATRIX.MSC4140_MAX_DELAY_EXCEEDED`. */
function codeIs(errcode: string | undefined, suffix: string): boolean {
  return errcode !== undefined && (errcode === `M_${suffix}` || errcode.endsWith(`_${suffix}`));
}

/**
 * True when the server does not know this endpoint form: `M_UNRECOGNIZED` (any status), 405, or
 * a 404 without an errcode (a proxy's page). 404 `M_NOT_FOUND` is not "unrecognised": it is the
 * delay id that is unknown.
 */
export function isUnrecognizedEndpoint(error: unknown): boolean {
  if (!MatrixError.isInstance(error)) return false;
  return (
    error.errcode === "M_UNRECOGNIZED" ||
    error.status === 405 ||
    (error.status === 404 && error.errcode === undefined)
  );
}

function describe(context: ErrorMappingContext): string {
  switch (context.operation) {
    case "schedule":
      return "scheduling the delayed event";
    case "manage":
      return "updating the delayed event";
    case "list":
      return "listing delayed events";
    default:
      return "reading delayed-event support";
  }
}

/**
 * Turn whatever a `MatrixPort` call threw into a {@link DelayedEventError}.
 *
 * @remarks The caller's own abort (an `AbortError` that is not from this package or
 * `@mxrtc/matrix`) is returned unchanged so it can be rethrown as is. See the README's error table
 * for every mapping.
 */
export function mapDelayedEventError(error: unknown, context: ErrorMappingContext): unknown {
  if (DelayedEventError.isInstance(error)) return error;
  const doing = describe(context);
  if (MatrixConnectionError.isInstance(error)) {
    return new DelayedEventNetworkError(`No reply from the homeserver while ${doing}`, {
      cause: error,
      reason: error.reason,
    });
  }
  if (MatrixResponseError.isInstance(error)) {
    return new DelayedEventResponseError(`Unreadable reply while ${doing}: ${error.message}`, {
      cause: error,
      status: error.status,
      body: error.body,
    });
  }
  if (!MatrixError.isInstance(error)) {
    if (error instanceof Error && error.name === "AbortError") return error;
    return new DelayedEventServerError(`Unexpected failure while ${doing}: ${String(error)}`, {
      cause: error,
      status: 0,
    });
  }
  const facts = readErrorReply(error);
  const details = {
    cause: error,
    status: error.status,
    ...(facts.errcode === undefined ? {} : { errcode: facts.errcode }),
    body: error.body,
  };
  const what = `${facts.errcode ?? "HTTP"} ${error.status} while ${doing}`;
  if (codeIs(facts.errcode, "MAX_DELAY_EXCEEDED") || codeIs(facts.errcode, "DELAY_TOO_LARGE")) {
    return new DelayTooLongError(`The delay is longer than the server allows (${what})`, {
      ...details,
      maxDelayMs: facts.maxDelayMs ?? context.maxDelayMs ?? facts.maxDelayMsFromMessage,
    });
  }
  if (codeIs(facts.errcode, "MAX_DELAYED_EVENTS_EXCEEDED")) {
    return new TooManyDelayedEventsError(`Too many delayed events scheduled (${what})`, {
      ...details,
      retryAfterMs: error.retryAfterMs,
      maxScheduled: context.maxScheduled,
    });
  }
  if (codeIs(facts.errcode, "MAX_DELAY_UNSUPPORTED") || facts.errcode === "M_UNRECOGNIZED") {
    return new DelayedEventsUnsupportedError(
      `The server does not support delayed events (${what})`,
      details,
    );
  }
  if (error.status === 429 || facts.errcode === "M_LIMIT_EXCEEDED") {
    if (
      context.operation === "schedule" &&
      (context.atMaxScheduled === true || TOO_MANY_SCHEDULED_MESSAGE.test(facts.message ?? ""))
    ) {
      return new TooManyDelayedEventsError(`Too many delayed events scheduled (${what})`, {
        ...details,
        retryAfterMs: error.retryAfterMs,
        maxScheduled: context.maxScheduled,
      });
    }
    return new DelayedEventRateLimitedError(`Rate limited (${what})`, {
      ...details,
      retryAfterMs: error.retryAfterMs,
    });
  }
  if (context.operation === "manage" && error.status === 404) {
    return new DelayedEventNotFoundError(
      `The delayed event was not found: already sent, cancelled or unknown (${what})`,
      details,
    );
  }
  if (error.status === 409) {
    return new DelayedEventConflictError(
      `The action conflicts with how the delayed event ended (${what})`,
      details,
    );
  }
  if (
    context.operation === "schedule" &&
    error.status === 403 &&
    DISALLOWED_MESSAGE.test(facts.message ?? "")
  ) {
    return new DelayedEventsUnsupportedError(
      `The homeserver has delayed events switched off (${what})`,
      details,
    );
  }
  if (
    context.operation === "schedule" &&
    error.status === 403 &&
    context.delayMs !== undefined &&
    context.maxDelayMs !== undefined &&
    context.delayMs > context.maxDelayMs
  ) {
    return new DelayTooLongError(`The delay is longer than the server allows (${what})`, {
      ...details,
      maxDelayMs: context.maxDelayMs,
    });
  }
  return new DelayedEventServerError(`The homeserver refused (${what})`, details);
}
