import {
  MatrixConnectionError,
  MatrixError,
  MatrixPortError,
  type MatrixRequestTarget,
  MatrixResponseError,
} from "./matrix-error.js";
import { isRecord } from "./response-shapes.js";
import { retryAfterMs } from "./retry-after.js";

const unsupportedEndpointErrors = new Set([
  "UnsupportedDelayedEventsEndpointError",
  "UnsupportedStickyEventsEndpointError",
]);

function headerOf(error: Record<string, unknown>): string | null {
  const headers = error.httpHeaders;
  if (isRecord(headers) && typeof headers.get === "function") {
    const value: unknown = (headers.get as (name: string) => unknown).call(headers, "Retry-After");
    return typeof value === "string" ? value : null;
  }
  return null;
}

/**
 * Maps an error thrown by matrix-js-sdk to this package's classes, by shape (no import):
 * `MatrixError`/`HTTPError` (`httpStatus`, `errcode`, `data`) → {@link MatrixError};
 * `ConnectionError` → {@link MatrixConnectionError} `network`; an `AbortError` the caller did not
 * cause (js-sdk's own `localTimeoutMs`) → `MatrixConnectionError` `timeout`; a `SyntaxError`
 * (2xx body not JSON) → {@link MatrixResponseError}; js-sdk's "unsupported endpoint" errors →
 * `MatrixError` 404 `M_UNRECOGNIZED`; anything else → {@link MatrixPortError} with the cause.
 * Errors that already are ours pass through.
 */
export function mapJsSdkError(
  error: unknown,
  target: MatrixRequestTarget,
  now: () => number,
): unknown {
  if (MatrixPortError.isInstance(error) || !isRecord(error)) {
    return MatrixPortError.isInstance(error)
      ? error
      : new MatrixPortError(`matrix-js-sdk failed: ${String(error)}`, target, { cause: error });
  }
  const message = typeof error.message === "string" ? error.message : String(error);
  const name = typeof error.name === "string" ? error.name : "";
  const constructorName =
    typeof error.constructor === "function" ? (error.constructor as { name?: string }).name : "";
  if (typeof error.httpStatus === "number") {
    const body = isRecord(error.data) ? error.data : {};
    const errcode =
      typeof error.errcode === "string"
        ? error.errcode
        : typeof body.errcode === "string"
          ? body.errcode
          : undefined;
    const wait = retryAfterMs(headerOf(error), body, now());
    const mapped = new MatrixError({
      ...target,
      status: error.httpStatus,
      ...(errcode === undefined ? {} : { errcode }),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      body: Object.keys(body).length > 0 ? body : message,
    });
    Object.defineProperty(mapped, "cause", { value: error, enumerable: false });
    return mapped;
  }
  if (name === "ConnectionError") {
    return new MatrixConnectionError("network", message, target, { cause: error });
  }
  if (name === "AbortError" || name === "TimeoutError") {
    return new MatrixConnectionError("timeout", message, target, { cause: error });
  }
  if (name === "SyntaxError") {
    return new MatrixResponseError(200, "", `Reply is not JSON: ${message}`, target, {
      cause: error,
    });
  }
  if (unsupportedEndpointErrors.has(name) || unsupportedEndpointErrors.has(constructorName ?? "")) {
    const mapped = new MatrixError({
      ...target,
      status: 404,
      errcode: "M_UNRECOGNIZED",
      body: { errcode: "M_UNRECOGNIZED", error: message },
    });
    Object.defineProperty(mapped, "cause", { value: error, enumerable: false });
    return mapped;
  }
  return new MatrixPortError(`matrix-js-sdk failed: ${message}`, target, { cause: error });
}
