import type { FetchLike } from "../post-json.js";

/** One request the fake service received (test support). */
export interface FakeServiceRequest {
  readonly url: string;
  readonly path: string;
  readonly body: unknown;
}

/** A canned reply: a status and a JSON body, or raw text. */
export interface FakeServiceReply {
  readonly status: number;
  readonly body?: unknown;
  readonly text?: string;
}

/** A fake lk-jwt-service behind a `fetch` (test support). */
export interface FakeTokenService {
  readonly fetch: FetchLike;
  readonly requests: FakeServiceRequest[];
  /** Replies by path; a function sees the request. Unlisted paths answer 404 M_UNRECOGNIZED. */
  readonly routes: Map<
    string,
    FakeServiceReply | ((request: FakeServiceRequest) => FakeServiceReply)
  >;
  /** Hosts that refuse connections (fetch throws TypeError). */
  readonly unreachableHosts: Set<string>;
}

/** Base URL of the fake service. */
export const FAKE_SERVICE_URL = "http://livekit-jwt.test";
/** SFU URL the fake service hands out. */
export const FAKE_SFU_URL = "ws://sfu.test";

/** Creates a fake token service answering `/get_token`, `/sfu/get` and `/delegate_delayed_leave`. */
export function createFakeTokenService(): FakeTokenService {
  const service: FakeTokenService = {
    requests: [],
    unreachableHosts: new Set(["unreachable.test"]),
    routes: new Map<string, FakeServiceReply | ((request: FakeServiceRequest) => FakeServiceReply)>(
      [
        ["/get_token", { status: 200, body: { url: FAKE_SFU_URL, jwt: "jwt-get-token" } }],
        ["/sfu/get", { status: 200, body: { url: FAKE_SFU_URL, jwt: "jwt-sfu-get" } }],
        ["/delegate_delayed_leave", { status: 200, body: {} }],
      ],
    ),
    async fetch(url, init) {
      if (init.signal.aborted) throw init.signal.reason;
      const parsed = new URL(url);
      if (service.unreachableHosts.has(parsed.hostname)) throw new TypeError("fetch failed");
      const request = { url, path: parsed.pathname, body: JSON.parse(init.body) as unknown };
      service.requests.push(request);
      const route = service.routes.get(parsed.pathname);
      const reply =
        route === undefined
          ? { status: 404, body: { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" } }
          : typeof route === "function"
            ? route(request)
            : route;
      const text = reply.text ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
      return { status: reply.status, text: async () => text };
    },
  };
  return service;
}
