// Internal validation helpers. Parsers run their body inside `guard`, which turns an `Invalid`
// (or anything else thrown, e.g. by a hostile getter) into a ParseResult, so no parser throws.
import { PARSE_LIMITS } from "./constants.js";
import type { ParseError, ParseResult } from "./parse-result.js";

/** A plain JSON object. */
export type JsonRecord = { readonly [key: string]: unknown };

class Invalid {
  constructor(
    /** Absolute, or relative to the value being read while a relative reader unwinds. */
    public path: string,
    readonly message: string,
  ) {}
}

export function invalid(path: string, message: string): never {
  throw new Invalid(path, message);
}

/**
 * Rethrows `error` with `prefix` put in front of its path when it is an `Invalid`. Readers that
 * build no path strings on the happy path throw relative paths and let callers prefix them.
 */
export function prefixed(error: unknown, prefix: string): never {
  throw withPrefix(error, prefix);
}

/** `error`, with `prefix` put in front of its path when it is an `Invalid`. */
export function withPrefix(error: unknown, prefix: string): unknown {
  if (error instanceof Invalid) error.path = prefix + error.path;
  return error;
}

/** The ParseResult of something thrown while parsing (`root` when it was not an `Invalid`). */
export function failure(error: unknown, root: string): { ok: false; error: ParseError } {
  if (error instanceof Invalid)
    return { ok: false, error: { path: error.path, message: error.message } };
  return { ok: false, error: { path: root, message: "could not be read" } };
}

export function guard<T>(root: string, parse: () => T): ParseResult<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    return failure(error, root);
  }
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own property only: never reads `__proto__`, `constructor` and friends from the prototype. */
export function field(record: JsonRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function asRecord(value: unknown, path: string): JsonRecord {
  if (!isRecord(value)) invalid(path, `expected an object, got ${describe(value)}`);
  return value;
}

/** Whether {@link asString} accepts `value` (for checks that build the error path only on failure). */
export function isGoodString(value: unknown, nonEmpty = true): value is string {
  return (
    typeof value === "string" &&
    (!nonEmpty || value !== "") &&
    value.length <= PARSE_LIMITS.maxStringLength
  );
}

export function asString(value: unknown, path: string, nonEmpty = true): string {
  if (typeof value !== "string") invalid(path, `expected a string, got ${describe(value)}`);
  if (nonEmpty && value === "") invalid(path, "must not be empty");
  if (value.length > PARSE_LIMITS.maxStringLength) {
    invalid(path, `longer than ${PARSE_LIMITS.maxStringLength} characters`);
  }
  return value;
}

export function optionalString(record: JsonRecord, key: string, path: string): string | undefined {
  const value = field(record, key);
  return value === undefined ? undefined : asString(value, `${path}.${key}`);
}

export function optionalTime(record: JsonRecord, key: string, path: string): number | undefined {
  const value = field(record, key);
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    invalid(`${path}.${key}`, `expected a non-negative number, got ${describe(value)}`);
  }
  return value;
}

export function asArray(
  value: unknown,
  path: string,
  max: number = PARSE_LIMITS.maxTransports,
): readonly unknown[] {
  if (!Array.isArray(value)) invalid(path, `expected an array, got ${describe(value)}`);
  if (value.length > max) invalid(path, `more than ${max} entries (${value.length})`);
  return value;
}

/**
 * A frozen array of strings. Returns `reuse` instead of a copy when it is a frozen array with the
 * same strings (parsed before, e.g. from the previous event of the same member).
 */
export function asStringArray(value: unknown, path: string, reuse?: unknown): readonly string[] {
  // Array.prototype.map semantics: holes stay holes (and a list with holes is never reused).
  const result = asArray(value, path).map((entry, index) =>
    isGoodString(entry) ? entry : asString(entry, `${path}[${index}]`),
  );
  const same =
    Array.isArray(reuse) &&
    reuse.length === result.length &&
    Object.isFrozen(reuse) &&
    !result.includes(undefined as unknown as string) &&
    result.every((entry, index) => entry === reuse[index]);
  return same ? (reuse as readonly string[]) : Object.freeze(result);
}

/** Budget of values left in the current {@link copyJson} call. */
let budget = 0;

const NOTHING: unique symbol = Symbol("nothing to reuse");

function isFrozenPlainRecord(value: unknown): value is JsonRecord {
  return (
    isRecord(value) && Object.getPrototypeOf(value) === Object.prototype && Object.isFrozen(value)
  );
}

/** Defines (never assigns) `key`, so `__proto__` or keys a frozen Object.prototype holds stay data. */
function defineKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key in Object.prototype) {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else target[key] = value;
}

function copyValue(current: unknown, depth: number, reuse: unknown): unknown {
  if (--budget < 0) invalid("", `too large (more than ${PARSE_LIMITS.maxValues} values)`);
  if (depth > PARSE_LIMITS.maxDepth)
    invalid("", `nested deeper than ${PARSE_LIMITS.maxDepth} levels`);
  if (current === null || typeof current === "boolean") return current;
  if (typeof current === "string") {
    if (current.length > PARSE_LIMITS.maxStringLength) asString(current, "", false);
    return current;
  }
  if (typeof current === "number") {
    if (!Number.isFinite(current)) invalid("", "expected a finite number");
    return current;
  }
  if (Array.isArray(current)) return copyArray(current, depth, reuse);
  if (isRecord(current)) return copyRecord(current, depth, reuse);
  return invalid("", `not JSON: ${describe(current)}`);
}

function copyArray(current: readonly unknown[], depth: number, reuse: unknown): unknown {
  if (current.length > budget)
    invalid("", `too large (more than ${PARSE_LIMITS.maxValues} values)`);
  const length = current.length;
  const reusable =
    Array.isArray(reuse) && reuse.length === length && Object.isFrozen(reuse)
      ? (reuse as readonly unknown[])
      : undefined;
  // Stays undefined while every copied entry is the reusable array's entry.
  let result: unknown[] | undefined = reusable === undefined ? new Array(length) : undefined;
  for (let index = 0; index < length; index++) {
    if (!(index in current)) {
      // Array.prototype.map semantics: holes stay holes.
      if (result === undefined) result = startArray(reusable as readonly unknown[], index, length);
      continue;
    }
    const previous = reusable === undefined ? NOTHING : reusable[index];
    let item: unknown;
    try {
      item = copyValue(current[index], depth + 1, previous);
    } catch (error) {
      prefixed(error, `[${index}]`);
    }
    if (result === undefined) {
      if (Object.is(item, previous)) continue;
      result = startArray(reusable as readonly unknown[], index, length);
    }
    result[index] = item;
  }
  return result === undefined ? reusable : Object.freeze(result);
}

function startArray(reusable: readonly unknown[], count: number, length: number): unknown[] {
  const result = new Array(length);
  for (let index = 0; index < count; index++) result[index] = reusable[index];
  return result;
}

function copyRecord(current: JsonRecord, depth: number, reuse: unknown): unknown {
  const reusable = isFrozenPlainRecord(reuse) ? reuse : undefined;
  const reusableKeys = reusable === undefined ? undefined : Object.keys(reusable);
  // Stays undefined while every key and value so far matches the reusable object, in order.
  let result: Record<string, unknown> | undefined = reusable === undefined ? {} : undefined;
  let count = 0;
  for (const key in current) {
    if (!Object.hasOwn(current, key)) continue;
    if (key.length > PARSE_LIMITS.maxStringLength)
      invalid("", `a key is longer than ${PARSE_LIMITS.maxStringLength} characters`);
    const previous =
      reusableKeys !== undefined && reusableKeys[count] === key
        ? (reusable as JsonRecord)[key]
        : NOTHING;
    let item: unknown;
    try {
      item = copyValue(current[key], depth + 1, previous);
    } catch (error) {
      prefixed(error, `.${key}`);
    }
    count++;
    if (result === undefined) {
      if (Object.is(item, previous)) continue;
      result = startRecord(reusable as JsonRecord, reusableKeys as string[], count - 1);
    }
    defineKey(result, key, item);
  }
  if (result === undefined) {
    if (count === (reusableKeys as string[]).length) return reusable;
    result = startRecord(reusable as JsonRecord, reusableKeys as string[], count);
  }
  return Object.freeze(result);
}

function startRecord(reusable: JsonRecord, keys: readonly string[], count: number) {
  const result: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    const key = keys[index] as string;
    defineKey(result, key, reusable[key]);
  }
  return result;
}

/**
 * A deep-frozen copy of a JSON value, capped in depth, size and string length. Keys such as
 * `__proto__` become ordinary own properties (defined, never assigned). When `reuse` (a value
 * parsed before) is deep-frozen, plain and equal to the copy, key order included, it is returned
 * instead, so unchanged content allocates nothing. Error paths start at `path`.
 */
export function copyJson(value: unknown, path: string, reuse: unknown = NOTHING): unknown {
  const saved = budget;
  budget = PARSE_LIMITS.maxValues;
  try {
    return copyValue(value, 0, reuse);
  } catch (error) {
    return prefixed(error, path);
  } finally {
    budget = saved;
  }
}
