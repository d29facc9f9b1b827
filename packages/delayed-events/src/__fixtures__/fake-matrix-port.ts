import {
  MatrixConnectionError,
  MatrixError,
  type MatrixPort,
  type MatrixRequest,
  MatrixResponseError,
  type MatrixVersions,
} from "@mxrtc/matrix";

/** A scripted reply: a JSON body, or an error to throw. */
export type FakeReply =
  | { readonly body: unknown }
  | { readonly error: unknown }
  | ((request: MatrixRequest) => unknown);

/** Build the MatrixError the real client throws for a reply. */
export function matrixError(status: number, body: unknown, retryAfterMs?: number): MatrixError {
  const errcode =
    typeof body === "object" &&
    body !== null &&
    typeof (body as { errcode?: unknown }).errcode === "string"
      ? (body as { errcode: string }).errcode
      : undefined;
  return new MatrixError({
    status,
    body,
    ...(errcode === undefined ? {} : { errcode }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

export const connectionError = (reason: "network" | "timeout" = "network") =>
  new MatrixConnectionError(reason, `fake ${reason} failure`);
export const responseError = (text: string) => new MatrixResponseError(200, text, "not JSON");

export const unrecognized = () =>
  matrixError(404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });

/**
 * A fake MatrixPort: `versions`/`capabilities` are fixed, `request` answers from a route table
 * (`"PUT /path"` → replies in order; the last one repeats). Every request is recorded.
 */
export function createFakeMatrixPort(setup: {
  versions?: MatrixVersions | (() => MatrixVersions | Promise<MatrixVersions>);
  capabilities?: Record<string, unknown> | (() => Record<string, unknown>);
  routes?: Record<string, FakeReply | readonly FakeReply[]>;
}) {
  const requests: MatrixRequest[] = [];
  const calls = { versions: 0, capabilities: 0 };
  const routes = new Map<string, FakeReply[]>();
  for (const [key, value] of Object.entries(setup.routes ?? {})) {
    routes.set(key, Array.isArray(value) ? [...value] : [value as FakeReply]);
  }
  const port: Pick<MatrixPort, "request" | "versions" | "capabilities"> = {
    async versions() {
      calls.versions++;
      const versions = setup.versions ?? {
        versions: ["v1.12"],
        unstableFeatures: { "org.matrix.msc4140": true },
      };
      return typeof versions === "function" ? versions() : versions;
    },
    async capabilities() {
      calls.capabilities++;
      const capabilities = setup.capabilities ?? {};
      return typeof capabilities === "function" ? capabilities() : capabilities;
    },
    async request<T>(request: MatrixRequest): Promise<T> {
      requests.push(request);
      if (request.signal?.aborted) throw request.signal.reason;
      const key = `${request.method} ${request.path}`;
      const queue = routes.get(key);
      if (!queue || queue.length === 0) throw unrecognized();
      const reply = queue.length > 1 ? queue.shift() : queue[0];
      if (typeof reply === "function") return reply(request) as T;
      if (reply && "error" in reply) throw reply.error;
      return (reply as { body: unknown }).body as T;
    },
  };
  return { port, requests, calls, routes };
}

export const SYNAPSE_VERSIONS: MatrixVersions = {
  versions: ["r0.6.1", "v1.11", "v1.12"],
  unstableFeatures: { "org.matrix.msc4140": true, "org.matrix.msc4354": true },
};
export const STABLE_VERSIONS: MatrixVersions = {
  versions: ["v1.12"],
  unstableFeatures: { "org.matrix.msc4140.stable": true, "org.matrix.msc4140": true },
};
export const NO_DELAYED_EVENTS_VERSIONS: MatrixVersions = {
  versions: ["v1.12"],
  unstableFeatures: { "org.matrix.msc4354": true },
};
