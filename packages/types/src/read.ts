// Internal validation helpers. Parsers run their body inside `guard`, which turns an `Invalid`
// (or anything else thrown, e.g. by a hostile getter) into a ParseResult, so no parser throws.
import { PARSE_LIMITS } from "./constants.js";
import type { ParseResult } from "./parse-result.js";

/** A plain JSON object. */
export type JsonRecord = { readonly [key: string]: unknown };

class Invalid {
  constructor(
    readonly path: string,
    readonly message: string,
  ) {}
}

export function invalid(path: string, message: string): never {
  throw new Invalid(path, message);
}

export function guard<T>(root: string, parse: () => T): ParseResult<T> {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof Invalid)
      return { ok: false, error: { path: error.path, message: error.message } };
    return { ok: false, error: { path: root, message: "could not be read" } };
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

export function asStringArray(value: unknown, path: string): readonly string[] {
  return Object.freeze(
    asArray(value, path).map((entry, index) => asString(entry, `${path}[${index}]`)),
  );
}

/**
 * A deep-frozen copy of a JSON value, capped in depth, size and string length. Keys such as
 * `__proto__` become ordinary own properties (Object.fromEntries defines, never assigns).
 */
export function copyJson(value: unknown, path: string): unknown {
  let budget: number = PARSE_LIMITS.maxValues;
  const copy = (current: unknown, at: string, depth: number): unknown => {
    if (--budget < 0) invalid(at, `too large (more than ${PARSE_LIMITS.maxValues} values)`);
    if (depth > PARSE_LIMITS.maxDepth)
      invalid(at, `nested deeper than ${PARSE_LIMITS.maxDepth} levels`);
    if (current === null || typeof current === "boolean") return current;
    if (typeof current === "string") return asString(current, at, false);
    if (typeof current === "number") {
      if (!Number.isFinite(current)) invalid(at, "expected a finite number");
      return current;
    }
    if (Array.isArray(current)) {
      if (current.length > budget)
        invalid(at, `too large (more than ${PARSE_LIMITS.maxValues} values)`);
      return Object.freeze(
        current.map((entry, index) => copy(entry, `${at}[${index}]`, depth + 1)),
      );
    }
    if (isRecord(current)) {
      const entries: [string, unknown][] = [];
      for (const key in current) {
        if (!Object.hasOwn(current, key)) continue;
        if (key.length > PARSE_LIMITS.maxStringLength)
          invalid(at, `a key is longer than ${PARSE_LIMITS.maxStringLength} characters`);
        entries.push([key, copy(current[key], `${at}.${key}`, depth + 1)]);
      }
      return Object.freeze(Object.fromEntries(entries));
    }
    return invalid(at, `not JSON: ${describe(current)}`);
  };
  return copy(value, path, 0);
}
