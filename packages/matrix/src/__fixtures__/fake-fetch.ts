/** A scripted `fetch` for unit tests: records each call and answers from a queue of responders. */

export interface RecordedRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Headers;
  readonly body: unknown;
  readonly signal: AbortSignal | undefined;
}

export type Responder = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakeFetch {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
  /** Queue responders, answered in order. */
  reply(...responders: Responder[]): void;
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Responder {
  return () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json", ...headers },
    });
}

/** A raw text response. */
export function text(body: string, status = 200, headers: Record<string, string> = {}): Responder {
  return () => new Response(body, { status, headers });
}

/** A response that never arrives, until the request's signal aborts (like a real fetch). */
export const hang: Responder = (request) =>
  new Promise<Response>((_resolve, reject) => {
    request.signal?.addEventListener("abort", () => reject(request.signal?.reason), {
      once: true,
    });
  });

/** `fetch` rejecting like a refused connection. */
export const networkFailure: Responder = () =>
  Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") }));

export function createFakeFetch(): FakeFetch {
  const queue: Responder[] = [];
  const requests: RecordedRequest[] = [];
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    const request: RecordedRequest = {
      url: new URL(String(input)),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body,
      signal: init?.signal ?? undefined,
    };
    requests.push(request);
    const responder = queue.shift();
    if (!responder)
      throw new Error(`fake fetch: no reply queued for ${request.method} ${request.url}`);
    return responder(request);
  };
  return {
    fetch: fakeFetch as typeof fetch,
    requests,
    reply: (...responders) => {
      queue.push(...responders);
    },
  };
}
