/** Safe reading of the client-event fields the reducer needs. Internal. */
import type { RtcDiagnostic, RtcDiagnosticCode } from "./rtc-diagnostic.js";

/** The fields of a client event, read without trusting its shape. */
export interface EventEnvelope {
  readonly raw: Readonly<Record<string, unknown>>;
  readonly type: string;
  readonly eventId: string | undefined;
  readonly sender: string | undefined;
  readonly originServerTs: number | undefined;
  readonly stateKey: string | undefined;
  readonly content: unknown;
  readonly unsigned: Readonly<Record<string, unknown>> | undefined;
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function ownField(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Read the envelope, or undefined when the value is not an event object with a string type. */
export function readEnvelope(event: unknown): EventEnvelope | undefined {
  if (!isRecord(event)) return undefined;
  const type = ownField(event, "type");
  if (typeof type !== "string") return undefined;
  const eventId = ownField(event, "event_id");
  const sender = ownField(event, "sender");
  const originServerTs = ownField(event, "origin_server_ts");
  const stateKey = ownField(event, "state_key");
  const unsigned = ownField(event, "unsigned");
  return {
    raw: event,
    type,
    eventId: typeof eventId === "string" && eventId.length > 0 ? eventId : undefined,
    sender: typeof sender === "string" && sender.length > 0 ? sender : undefined,
    originServerTs:
      typeof originServerTs === "number" &&
      Number.isSafeInteger(originServerTs) &&
      originServerTs >= 0
        ? originServerTs
        : undefined,
    stateKey: typeof stateKey === "string" ? stateKey : undefined,
    content: ownField(event, "content"),
    unsigned: isRecord(unsigned) ? unsigned : undefined,
  };
}

/** Build a diagnostic for an envelope. */
export function diagnosticFor(
  envelope: EventEnvelope | undefined,
  code: RtcDiagnosticCode,
  message: string,
  path: string | undefined,
  applied = false,
): RtcDiagnostic {
  const diagnostic: {
    -readonly [K in keyof RtcDiagnostic]: RtcDiagnostic[K];
  } = { code, message, applied };
  if (path !== undefined) diagnostic.path = path;
  if (envelope?.eventId !== undefined) diagnostic.eventId = envelope.eventId;
  if (envelope?.sender !== undefined) diagnostic.sender = envelope.sender;
  if (envelope !== undefined) diagnostic.eventType = envelope.type;
  if (envelope?.originServerTs !== undefined) diagnostic.originServerTs = envelope.originServerTs;
  return Object.freeze(diagnostic);
}

/** Read `content.sticky_key ?? content.msc4354_sticky_key` without validating anything else. */
export function rawStickyKey(content: unknown): string | undefined {
  if (!isRecord(content)) return undefined;
  const stable = ownField(content, "sticky_key");
  if (typeof stable === "string" && stable.length > 0) return stable;
  const unstable = ownField(content, "msc4354_sticky_key");
  return typeof unstable === "string" && unstable.length > 0 ? unstable : undefined;
}

/** MSC4354 `sticky.duration_ms` (or unstable `msc4354_sticky`), capped at one hour; undefined if absent. */
export function stickyDurationMs(
  event: Readonly<Record<string, unknown>>,
  cap: number,
): number | undefined {
  const sticky = ownField(event, "sticky") ?? ownField(event, "msc4354_sticky");
  if (!isRecord(sticky)) return undefined;
  const duration = ownField(sticky, "duration_ms");
  if (typeof duration !== "number" || !Number.isFinite(duration) || duration < 0) return undefined;
  return Math.min(duration, cap);
}
