/**
 * A routed fake homeserver `fetch` for matrix-js-sdk tests: answers the requests js-sdk makes at
 * start-up with canned replies and hands everything else to the test's route.
 */
import type { RecordedRequest } from "./fake-fetch.js";
import versionsReply from "./versions.json";

export type Route = (request: RecordedRequest) => Response | Promise<Response> | undefined;

export interface FakeHomeserver {
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
  /** Routes tried newest first; the first that returns a response answers. */
  route(route: Route): void;
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

const defaults: Route = (request) => {
  const path = request.url.pathname;
  if (path === "/_matrix/client/versions") return jsonResponse(versionsReply);
  if (path.endsWith("/filter")) return jsonResponse({ filter_id: "1" });
  if (path.includes("/pushrules")) return jsonResponse({ global: {} });
  if (path.includes("/capabilities")) return jsonResponse({ capabilities: {} });
  return undefined;
};

export function createFakeHomeserver(): FakeHomeserver {
  const routes: Route[] = [defaults];
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
    for (let index = routes.length - 1; index >= 0; index--) {
      const response = await routes[index]?.(request);
      if (response) return response;
    }
    return jsonResponse({ errcode: "M_UNRECOGNIZED", error: "fake: no route" }, 404);
  };
  return {
    fetch: fakeFetch as typeof fetch,
    requests,
    route: (route) => {
      routes.push(route);
    },
  };
}
