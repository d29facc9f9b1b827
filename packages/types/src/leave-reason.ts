import { asRecord, asString, field, optionalString } from "./read.js";

/** Reads a leave reason: MSC4143 `{ code, reason? }`, or the legacy bare string (kept as `{ code }`). */
export function readLeaveReason(
  value: unknown,
  path: string,
): { readonly code: string; readonly reason?: string } {
  if (typeof value === "string") return { code: asString(value, path) };
  const record = asRecord(value, path);
  const code = asString(field(record, "code"), `${path}.code`);
  const reason = optionalString(record, "reason", path);
  return reason === undefined ? { code } : { code, reason };
}
