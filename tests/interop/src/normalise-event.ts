/**
 * Replaces the run-specific ids in a recorded event (room id, user ids, device ids, event ids,
 * transaction ids, timestamps) with stable placeholders, for the wire-format record in the README.
 */
export function normaliseEvent(
  event: unknown,
  replacements: Readonly<Record<string, string>>,
): unknown {
  // Longest first, so "@alice:localhost" is replaced before "alice".
  const pairs = Object.entries(replacements).sort(([a], [b]) => b.length - a.length);
  const text = (value: string): string => {
    let out = value;
    for (const [from, to] of pairs) out = out.split(from).join(to);
    return out.replace(/\$[A-Za-z0-9_-]{20,}/g, "$EVENT_ID");
  };
  const walk = (value: unknown, key?: string): unknown => {
    if (typeof value === "string") return text(value);
    if (typeof value === "number" && key !== undefined && /(_ts|^age)$/.test(key)) return 0;
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([entryKey, entry]) => [text(entryKey), walk(entry, entryKey)]),
      );
    }
    return value;
  };
  return walk(event);
}
