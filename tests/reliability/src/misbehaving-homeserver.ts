import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the fake homeserver misbehaves on the requests it is told to spoil. */
export type Misbehaviour =
  /** 200 with a body that is not JSON. */
  | "malformed-json"
  /** 500 with an HTML body. */
  | "server-error"
  /** Accepts the request and never answers. */
  | "hang"
  /** 400 with an errcode nobody knows. */
  | "unknown-errcode";

/** Every misbehaviour, for table-driven tests. */
export const MISBEHAVIOURS: readonly Misbehaviour[] = [
  "malformed-json",
  "server-error",
  "hang",
  "unknown-errcode",
];

/** The errcode sent by the `unknown-errcode` misbehaviour. */
export const UNKNOWN_ERRCODE = "IO.MXRTC.TEST_NEVER_HEARD_OF_IT";

/** A request the fake server received. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly ts: number;
  readonly spoiled: boolean;
}

/** A loopback HTTP server speaking just enough of the Matrix C-S API (with MSC4140) to join a call. */
export interface MisbehavingHomeserver {
  readonly baseUrl: string;
  readonly requests: readonly ReceivedRequest[];
  /** Spoil matching requests from now on (undefined: behave). */
  misbehave(behaviour: Misbehaviour | undefined, matches?: (path: string) => boolean): void;
  /** Requests whose path includes `fragment`. */
  count(fragment: string): number;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json" });
  response.end(text);
}

/**
 * Starts the fake homeserver on 127.0.0.1 (free port). When behaving it accepts any access token,
 * schedules delayed events (`?org.matrix.msc4140.delay=`), accepts state, restart/cancel/send
 * (path and body forms) and lists nothing.
 */
export async function startMisbehavingHomeserver(): Promise<MisbehavingHomeserver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let behaviour: Misbehaviour | undefined;
  let matcher: (path: string) => boolean = () => true;
  let delayCounter = 0;
  let eventCounter = 0;

  const behave = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const path = url.pathname;
    if (path === "/_matrix/client/versions") {
      sendJson(response, 200, {
        versions: ["v1.11", "v1.12"],
        unstable_features: { "org.matrix.msc4140": true },
      });
    } else if (path.endsWith("/account/whoami")) {
      sendJson(response, 200, { user_id: "@member:fake", device_id: "DEVICE" });
    } else if (path.endsWith("/capabilities")) {
      sendJson(response, 200, {
        capabilities: { "org.matrix.msc4140.delayed_events": { max_delay_ms: 86_400_000 } },
      });
    } else if (request.method === "PUT" && /\/rooms\/[^/]+\/(state|send)\//.test(path)) {
      if (url.searchParams.has("org.matrix.msc4140.delay")) {
        delayCounter += 1;
        sendJson(response, 200, { delay_id: `fake-delay-${delayCounter}` });
      } else {
        eventCounter += 1;
        sendJson(response, 200, { event_id: `$fake-event-${eventCounter}` });
      }
    } else if (path.includes("/delayed_events") && request.method === "POST") {
      sendJson(response, 200, {});
    } else if (path.includes("/delayed_events") && request.method === "GET") {
      sendJson(response, 200, { delayed_events: [] });
    } else {
      sendJson(response, 404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });
    }
  };

  const spoil = (response: ServerResponse, how: Misbehaviour) => {
    switch (how) {
      case "malformed-json":
        response.writeHead(200, { "content-type": "application/json" });
        response.end('{"delay_id": "half');
        return;
      case "server-error":
        response.writeHead(500, { "content-type": "text/html" });
        response.end("<html><body>Internal Server Error</body></html>");
        return;
      case "hang":
        hanging.add(response);
        response.on("close", () => hanging.delete(response));
        return;
      case "unknown-errcode":
        sendJson(response, 400, { errcode: UNKNOWN_ERRCODE, error: "Something new went wrong" });
        return;
    }
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    // Drain the body before answering so keep-alive stays usable.
    request.resume();
    request.on("end", () => {
      const spoiled = behaviour !== undefined && matcher(url.pathname);
      requests.push({
        method: request.method ?? "GET",
        path: url.pathname,
        query: url.search,
        ts: Date.now(),
        spoiled,
      });
      if (spoiled && behaviour !== undefined) spoil(response, behaviour);
      else behave(request, response, url);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    misbehave(next, matches = () => true) {
      behaviour = next;
      matcher = matches;
    },
    count: (fragment) => requests.filter((request) => request.path.includes(fragment)).length,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
