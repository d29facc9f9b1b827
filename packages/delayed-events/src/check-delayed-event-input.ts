import type { RequestOptions } from "@mxrtc/matrix";
import { DelayedEventInputError } from "./delayed-event-error.js";

/** Copy only `signal` and `timeoutMs` (exactOptionalPropertyTypes: no `undefined` keys). */
export function requestOptions(options: RequestOptions | undefined): RequestOptions {
  return {
    ...(options?.signal === undefined ? {} : { signal: options.signal }),
    ...(options?.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

/** A positive safe integer of milliseconds, or a {@link DelayedEventInputError}. */
export function checkDelay(name: string, delayMs: unknown): number {
  if (typeof delayMs !== "number" || !Number.isSafeInteger(delayMs) || delayMs <= 0) {
    throw new DelayedEventInputError(
      `${name} must be a positive whole number of milliseconds, got ${String(delayMs)}`,
    );
  }
  return delayMs;
}

/** A JSON object (not null, not an array), or a {@link DelayedEventInputError}. */
export function checkContent(content: unknown): Record<string, unknown> {
  if (typeof content !== "object" || content === null || Array.isArray(content)) {
    throw new DelayedEventInputError("content must be a JSON object");
  }
  return content as Record<string, unknown>;
}

/** A string (non-empty unless `allowEmpty`), or a {@link DelayedEventInputError}. */
export function checkString(name: string, value: unknown, allowEmpty = false): string {
  if (typeof value !== "string" || (!allowEmpty && value.length === 0)) {
    throw new DelayedEventInputError(`${name} must be a ${allowEmpty ? "" : "non-empty "}string`);
  }
  return value;
}
