/**
 * Raw client-server calls the proofs use to check the homeserver directly, independent of the
 * packages under test (so a bug there cannot hide a failure here).
 */

/** Who asks: a homeserver URL and an access token. */
export interface RawAccount {
  readonly baseUrl: string;
  readonly accessToken: string;
}

/** A delayed event as Synapse lists it (`GET /_matrix/client/unstable/org.matrix.msc4140/delayed_events`). */
export interface ListedDelayedEvent {
  readonly delay_id: string;
  readonly room_id: string;
  readonly type: string;
  readonly state_key?: string;
  readonly delay: number;
  readonly running_since: number;
  readonly content: Record<string, unknown>;
}

/** A state event as `GET /rooms/{roomId}/state` returns it. */
export interface RawStateEvent {
  readonly type: string;
  readonly state_key: string;
  readonly sender: string;
  readonly content: Record<string, unknown>;
  readonly event_id: string;
  readonly origin_server_ts: number;
}

/** Non-2xx or unreadable reply of a raw call. */
export class RawMatrixError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
    this.name = "RawMatrixError";
  }
}

/** JSON request with the account's token; throws {@link RawMatrixError} on non-2xx. */
export async function rawRequest<T>(
  account: RawAccount,
  method: "GET" | "PUT" | "POST",
  path: string,
  options: { body?: unknown; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 15_000)];
  if (options.signal !== undefined) signals.push(options.signal);
  const init: RequestInit = {
    method,
    headers: { authorization: `Bearer ${account.accessToken}`, "content-type": "application/json" },
    signal: AbortSignal.any(signals),
  };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const response = await fetch(`${account.baseUrl}${path}`, init);
  const text = await response.text();
  if (!response.ok) {
    throw new RawMatrixError(`${method} ${path} -> ${response.status}`, response.status, text);
  }
  return JSON.parse(text) as T;
}

/** The account's scheduled delayed events, straight from the server. */
export async function listDelayedEvents(
  account: RawAccount,
): Promise<readonly ListedDelayedEvent[]> {
  const reply = await rawRequest<{ delayed_events?: ListedDelayedEvent[] }>(
    account,
    "GET",
    "/_matrix/client/unstable/org.matrix.msc4140/delayed_events",
  );
  return reply.delayed_events ?? [];
}

/** The room's current state events of one type. */
export async function getStateEvents(
  account: RawAccount,
  roomId: string,
  eventType: string,
): Promise<readonly RawStateEvent[]> {
  const events = await rawRequest<RawStateEvent[]>(
    account,
    "GET",
    `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state`,
  );
  return events.filter((event) => event.type === eventType);
}

/** A call membership is live when its content names an application (legacy `{}` = left). */
export function isLiveMembershipContent(content: unknown): boolean {
  return (
    typeof content === "object" &&
    content !== null &&
    typeof (content as { application?: unknown }).application === "string"
  );
}
