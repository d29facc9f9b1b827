/** A fake homeserver `fetch` for unit tests: OpenID userinfo and MSC4140 management calls. */
export interface FakeHomeserver {
  readonly fetch: typeof fetch;
  /** Every delayed-event management call, in order. */
  readonly delayedCalls: { action: string; delayId: string; url: string }[];
  /** Every URL requested. */
  readonly requests: string[];
  /** Next replies for delayed-event calls (status, headers, body); then 200 {}. */
  readonly delayedReplies: { status: number; headers?: Record<string, string>; body?: unknown }[];
  /** access_token → user id; anything else answers 401. */
  readonly tokens: Map<string, string>;
}

/** Base URL the fake serves; map server names to it with the overrides option. */
export const FAKE_HS_URL = "https://hs.example.test";

export function createFakeHomeserver(tokens: Record<string, string> = {}): FakeHomeserver {
  const state: FakeHomeserver = {
    delayedCalls: [],
    requests: [],
    delayedReplies: [],
    tokens: new Map(Object.entries(tokens)),
    fetch: async (input, init) => {
      const url = new URL(
        typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      );
      state.requests.push(url.href);
      if (url.origin !== FAKE_HS_URL)
        throw new TypeError(`fetch failed: ${url.origin} unreachable`);
      if (url.pathname === "/_matrix/federation/v1/openid/userinfo") {
        const user = state.tokens.get(url.searchParams.get("access_token") ?? "");
        if (user === undefined)
          return reply(401, { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token" });
        return reply(200, { sub: user });
      }
      const match =
        /^\/_matrix\/client\/unstable\/org\.matrix\.msc4140\/delayed_events\/([^/]+)\/(restart|send)$/.exec(
          url.pathname,
        );
      if (match !== null && init?.method === "POST") {
        state.delayedCalls.push({
          action: match[2] ?? "",
          delayId: decodeURIComponent(match[1] ?? ""),
          url: url.href,
        });
        const next = state.delayedReplies.shift();
        return reply(next?.status ?? 200, next?.body ?? {}, next?.headers);
      }
      return reply(404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });
    },
  };
  return state;
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
