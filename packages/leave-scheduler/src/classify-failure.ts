import {
  DelayedEventConflictError,
  DelayedEventNetworkError,
  DelayedEventNotFoundError,
  DelayedEventRateLimitedError,
  DelayedEventServerError,
  DelayedEventsUnsupportedError,
  DelayTooLongError,
  TooManyDelayedEventsError,
} from "@mxrtc/delayed-events";
import { MatrixConnectionError, MatrixError } from "@mxrtc/matrix";
import { LeaveSchedulerError } from "./leave-scheduler-error.js";

/** How the scheduler reacts to a failed request (internal). */
export type Failure =
  | { readonly kind: "not-found" }
  | { readonly kind: "conflict" }
  | { readonly kind: "delay-too-long"; readonly maxDelayMs: number | undefined }
  | { readonly kind: "rate-limited"; readonly retryAfterMs: number | undefined }
  | { readonly kind: "unsupported" }
  | { readonly kind: "transient" }
  | { readonly kind: "superseded" }
  | { readonly kind: "fatal" };

/** Maps any thrown value to a {@link Failure}, using the packages' `isInstance` checks only. */
export function classifyFailure(error: unknown): Failure {
  if (LeaveSchedulerError.isInstance(error)) {
    if (error.code === "timeout") return { kind: "transient" };
    if (error.code === "superseded" || error.code === "closed") return { kind: "superseded" };
    return { kind: "fatal" };
  }
  if (DelayedEventNotFoundError.isInstance(error)) return { kind: "not-found" };
  if (DelayedEventConflictError.isInstance(error)) return { kind: "conflict" };
  if (DelayTooLongError.isInstance(error)) {
    return { kind: "delay-too-long", maxDelayMs: error.maxDelayMs };
  }
  if (
    DelayedEventRateLimitedError.isInstance(error) ||
    TooManyDelayedEventsError.isInstance(error)
  ) {
    return { kind: "rate-limited", retryAfterMs: error.retryAfterMs };
  }
  if (DelayedEventsUnsupportedError.isInstance(error)) return { kind: "unsupported" };
  if (DelayedEventNetworkError.isInstance(error)) return { kind: "transient" };
  if (DelayedEventServerError.isInstance(error)) {
    return error.status === 0 || error.status >= 500 || error.code === "response"
      ? { kind: "transient" }
      : { kind: "fatal" };
  }
  if (MatrixError.isInstance(error)) {
    if (error.status === 429 || error.errcode === "M_LIMIT_EXCEEDED") {
      return { kind: "rate-limited", retryAfterMs: error.retryAfterMs };
    }
    return error.status >= 500 ? { kind: "transient" } : { kind: "fatal" };
  }
  if (MatrixConnectionError.isInstance(error)) return { kind: "transient" };
  return { kind: "fatal" };
}

/** Default wait after a rate limit without `Retry-After` (as matrix-js-sdk). */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;
