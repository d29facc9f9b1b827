/** A fetch that answers from a table of `METHOD url-path` routes; unknown routes fail to connect. */
export type FakeRoute = (request: {
  url: URL;
  body: unknown;
  headers: Headers;
}) => Response | Promise<Response>;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

export function fakeFetch(routes: Record<string, FakeRoute>) {
  const calls: string[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? "GET";
    const key = `${method} ${url.origin}${url.pathname}`;
    calls.push(key);
    const route = routes[key];
    if (route === undefined)
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    const text = typeof init?.body === "string" ? init.body : undefined;
    return route({
      url,
      body: text === undefined ? undefined : JSON.parse(text),
      headers: new Headers(init?.headers),
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, calls };
}
