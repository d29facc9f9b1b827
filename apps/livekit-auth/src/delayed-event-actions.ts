import { type Clock, sleep, systemClock } from "./clock.js";

/**
 * Outcome of one delegated `restart`/`send` after retries.
 *
 * @example
 * ```ts
 * const result = await actions.send(homeserverUrl, delayId);
 * const sent = result.kind !== "failed"; // a 404 means it was already sent or cancelled
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export type DelayedEventActionResult =
  | { readonly kind: "ok" }
  | { readonly kind: "not-found" }
  | { readonly kind: "failed"; readonly status?: number; readonly message: string };

/**
 * The two MSC4140 management calls the service makes for a delegated delayed leave,
 * unauthenticated (the `delay_id` is the capability, as Synapse accepts).
 *
 * @example
 * ```ts
 * const actions = createDelayedEventActions({});
 * await actions.restart("https://matrix.example.com", "syd_abc");
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface DelayedEventActions {
  restart(homeserverUrl: string, delayId: string): Promise<DelayedEventActionResult>;
  send(homeserverUrl: string, delayId: string): Promise<DelayedEventActionResult>;
}

/**
 * `POST {hs}/_matrix/client/unstable/org.matrix.msc4140/delayed_events/{delay_id}/{restart|send}`
 * with body `{}`.
 *
 * @example
 * ```ts
 * const actions = createDelayedEventActions({ attempts: 3 });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 *
 * @remarks A 429 waits `Retry-After` (seconds or HTTP date) or `retry_after_ms` (capped at
 * `maxWaitMs`) and tries again; 5xx and network errors back off 500 ms, 1 s, 2 s, …; at most
 * `attempts` tries. 404 is reported as `not-found` (for `send`: already sent or cancelled).
 * @param options.attempts - tries per call (default 6).
 * @param options.maxWaitMs - longest single wait (default 30 000).
 * @param options.timeoutMs - per request (default 10 000).
 */
export function createDelayedEventActions(options: {
  fetch?: typeof fetch;
  clock?: Clock;
  attempts?: number;
  maxWaitMs?: number;
  timeoutMs?: number;
}): DelayedEventActions {
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const clock = options.clock ?? systemClock;
  const attempts = options.attempts ?? 6;
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const call = async (
    homeserverUrl: string,
    delayId: string,
    action: "restart" | "send",
  ): Promise<DelayedEventActionResult> => {
    const url = `${homeserverUrl}/_matrix/client/unstable/org.matrix.msc4140/delayed_events/${encodeURIComponent(delayId)}/${action}`;
    let last: DelayedEventActionResult = { kind: "failed", message: "not tried" };
    for (let attempt = 0; attempt < attempts; attempt++) {
      let waitMs = Math.min(maxWaitMs, 500 * 2 ** attempt);
      try {
        const response = await fetchImpl(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        const text = await response.text().catch(() => "");
        if (response.ok) return { kind: "ok" };
        if (response.status === 404) return { kind: "not-found" };
        last = { kind: "failed", status: response.status, message: text.slice(0, 300) };
        if (response.status === 429) {
          waitMs = Math.min(maxWaitMs, retryAfter(response, text) ?? waitMs);
        } else if (response.status < 500) {
          return last;
        }
      } catch (error) {
        last = { kind: "failed", message: (error as Error).message };
      }
      if (attempt + 1 < attempts) await sleep(clock, waitMs);
    }
    return last;
  };
  return {
    restart: (homeserverUrl, delayId) => call(homeserverUrl, delayId, "restart"),
    send: (homeserverUrl, delayId) => call(homeserverUrl, delayId, "send"),
  };
}

function retryAfter(response: Response, text: string): number | undefined {
  const header = response.headers.get("retry-after");
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  try {
    const body = JSON.parse(text) as { retry_after_ms?: unknown };
    if (typeof body.retry_after_ms === "number" && body.retry_after_ms >= 0)
      return body.retry_after_ms;
  } catch {
    // not JSON: fall back to backoff
  }
  return undefined;
}
