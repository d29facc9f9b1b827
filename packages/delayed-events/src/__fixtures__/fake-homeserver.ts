import { createMatrixClient } from "@mxrtc/matrix";

/** One canned HTTP reply. */
export interface CannedReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

/** A request as the fake fetch saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | null;
  readonly body: unknown;
}

type Handler = (request: SeenRequest) => CannedReply | undefined;

/**
 * A real `createMatrixClient` over a fake `fetch`: exercises the whole HTTP path (query string,
 * Authorization header, JSON, error bodies, Retry-After) without a server.
 */
export function createFakeHomeserver(
  handler: Handler,
  options: {
    unstableFeatures?: Record<string, boolean>;
    capabilities?: Record<string, unknown>;
  } = {},
) {
  const seen: SeenRequest[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const request: SeenRequest = {
      method: init?.method ?? "GET",
      url,
      authorization: headers.get("Authorization"),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined,
    };
    let reply: CannedReply | undefined;
    if (url.pathname === "/_matrix/client/versions") {
      reply = {
        status: 200,
        body: {
          versions: ["v1.11", "v1.12"],
          unstable_features: options.unstableFeatures ?? { "org.matrix.msc4140": true },
        },
      };
    } else if (url.pathname === "/_matrix/client/v3/capabilities") {
      reply = { status: 200, body: { capabilities: options.capabilities ?? {} } };
    } else {
      seen.push(request);
      reply = handler(request) ?? {
        status: 404,
        body: { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" },
      };
    }
    return new Response(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { "Content-Type": "application/json", ...reply.headers },
    });
  };
  const matrix = createMatrixClient({
    baseUrl: "http://127.0.0.1:1",
    accessToken: "token-1",
    fetch: fetch as typeof globalThis.fetch,
    defaultTimeoutMs: 0,
  });
  return { matrix, seen };
}
