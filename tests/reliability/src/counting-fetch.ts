/** One HTTP request seen by a {@link CountingFetch}. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/_matrix/client/unstable/org.matrix.msc4140/delayed_events/x/restart`. */
  readonly path: string;
  /** The query string including `?`, or "". */
  readonly query: string;
  /** `Date.now()` when the request was handed to fetch. */
  readonly startTs: number;
  /** `Date.now()` when the response headers arrived (undefined while pending or on a network error). */
  endTs?: number;
  status?: number;
  /** Retry-After of a 429 in ms (header first, then body `retry_after_ms`). */
  retryAfterMs?: number;
  /** Message of a network-level failure. */
  failure?: string;
}

/** A fetch wrapper that records every request, for "nothing spins" and Retry-After proofs. */
export interface CountingFetch {
  readonly fetch: typeof fetch;
  readonly requests: readonly RecordedRequest[];
  /** Requests whose path matches, started at or after `sinceTs`. */
  count(filter?: { readonly pathIncludes?: string; readonly sinceTs?: number }): number;
  /** Makes every later request fail (hang until its signal aborts), as if the process's network died. */
  sever(): void;
}

function parseRetryAfterHeader(value: string | null): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Wraps `inner` (default: global fetch) and records method, path, timing and status of each request.
 *
 * @example
 * ```ts
 * const counting = createCountingFetch();
 * const matrix = createMatrixClient({ baseUrl, accessToken, fetch: counting.fetch });
 * ```
 */
export function createCountingFetch(inner: typeof fetch = globalThis.fetch): CountingFetch {
  const requests: RecordedRequest[] = [];
  let severed = false;
  const wrapped = async (
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const url = new URL(
      typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
    );
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search,
      startTs: Date.now(),
    };
    requests.push(record);
    if (severed) {
      return new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal;
        const fail = () => reject(signal?.reason ?? new TypeError("fetch failed"));
        if (signal?.aborted) fail();
        else signal?.addEventListener("abort", fail, { once: true });
      });
    }
    try {
      const response = await inner(input, init);
      record.endTs = Date.now();
      record.status = response.status;
      if (response.status === 429) {
        let retryAfter = parseRetryAfterHeader(response.headers.get("retry-after"));
        if (retryAfter === undefined) {
          const body: unknown = await response
            .clone()
            .json()
            .catch(() => undefined);
          if (typeof body === "object" && body !== null && "retry_after_ms" in body) {
            const value = (body as { retry_after_ms: unknown }).retry_after_ms;
            if (typeof value === "number") retryAfter = value;
          }
        }
        if (retryAfter !== undefined) record.retryAfterMs = retryAfter;
      }
      return response;
    } catch (error) {
      record.endTs = Date.now();
      record.failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
  };
  return {
    fetch: wrapped as typeof fetch,
    requests,
    count(filter = {}) {
      return requests.filter(
        (request) =>
          (filter.pathIncludes === undefined || request.path.includes(filter.pathIncludes)) &&
          (filter.sinceTs === undefined || request.startTs >= filter.sinceTs),
      ).length;
    },
    sever() {
      severed = true;
    },
  };
}

/**
 * What kind of request this is, by endpoint: `PUT state` (membership and delayed state share the
 * message rate limit), `POST delayed-event restart`, `GET versions`, ...
 */
export function requestKind(request: Pick<RecordedRequest, "method" | "path">): string {
  const { method, path } = request;
  if (path.includes("/delayed_events/")) return `${method} delayed-event ${path.split("/").at(-1)}`;
  if (path.endsWith("/delayed_events")) return `${method} delayed-events list`;
  if (/\/rooms\/[^/]+\/state\//.test(path)) return `${method} state`;
  if (/\/rooms\/[^/]+\/send\//.test(path)) return `${method} send`;
  return `${method} ${path.replace(/^\/_matrix\/client\/[^/]+\//, "")}`;
}
