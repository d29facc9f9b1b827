import { matrixPath } from "./matrix-path.js";
import type {
  MatrixPort,
  MatrixRequest,
  RequestOptions,
  SendOptions,
  SyncBatch,
  SyncOptions,
} from "./matrix-port.js";
import { parseSyncResponse } from "./parse-sync-response.js";
import { type HttpContext, performRequest, type ResponseParser } from "./perform-request.js";
import {
  parseAny,
  parseCapabilities,
  parseObject,
  parseOpenIdToken,
  parseSendResult,
  parseStateEvents,
  parseVersions,
  parseWhoami,
} from "./response-shapes.js";
import { syncLoop } from "./sync-loop.js";
import { createTransactionIdGenerator } from "./transaction-ids.js";

/**
 * Options of {@link createMatrixClient}.
 *
 * @example
 * ```ts
 * const options: MatrixClientOptions = { baseUrl: "http://127.0.0.1:8008", accessToken, defaultTimeoutMs: 10_000 };
 * ```
 */
export interface MatrixClientOptions {
  /** Homeserver base URL, e.g. `https://matrix.example.org`; a trailing slash is removed. */
  readonly baseUrl: string;
  /** The user's access token, sent as `Authorization: Bearer`. */
  readonly accessToken: string;
  /** The user id, if known. Default: asked from `/whoami` on first need. */
  readonly userId?: string;
  /** The device id, if known. Default: from `/whoami`. */
  readonly deviceId?: string;
  /** The `fetch` to use. Default: `globalThis.fetch`, looked up at each request. */
  readonly fetch?: typeof fetch;
  /** Timeout of each request in ms; `0` disables. Default 30 000. A sync request gets its long-poll time plus this. */
  readonly defaultTimeoutMs?: number;
  /** Clock for `SyncBatch.receivedTs` and `Retry-After` dates. Default `Date.now`. */
  readonly now?: () => number;
  /** Source of back-off jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * A {@link MatrixPort} over `fetch`, plus what it knows about its user.
 *
 * @example
 * ```ts
 * const client: MatrixClient = createMatrixClient({ baseUrl, accessToken });
 * await client.whoami();
 * console.log(client.userId, client.deviceId);
 * ```
 */
export interface MatrixClient extends MatrixPort {
  /** The user id: from the options, or once any `whoami()` succeeded; otherwise undefined. */
  readonly userId: string | undefined;
  /** The device id: from the options, or once any `whoami()` succeeded; otherwise undefined. */
  readonly deviceId: string | undefined;
}

/** Default per-request timeout of {@link createMatrixClient}, in ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Default `/sync` long-poll time, in ms. */
export const DEFAULT_SYNC_TIMEOUT_MS = 30_000;

const delayQuery = "org.matrix.msc4140.delay";
const stickyQuery = "org.matrix.msc4354.sticky_duration_ms";

function sendQuery(options: SendOptions | undefined): Readonly<Record<string, number | undefined>> {
  return { [delayQuery]: options?.delayMs, [stickyQuery]: options?.stickyDurationMs };
}

function requestOptions(options: RequestOptions | undefined): RequestOptions {
  return {
    ...(options?.signal === undefined ? {} : { signal: options.signal }),
    ...(options?.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

/**
 * Creates a {@link MatrixPort} that talks to a homeserver with `fetch` (browsers and Node 20).
 *
 * @remarks Every request is abortable (`signal`) and has a timeout (`timeoutMs`, default
 * `defaultTimeoutMs`). Transaction ids are a random per-client prefix plus a counter. Path
 * segments (room ids, event types, state keys) are percent-encoded. The only clock read is
 * `now` (for `receivedTs` and HTTP-date `Retry-After`); timers use the global `setTimeout` at call
 * time, so fake timers work.
 *
 * @example
 * ```ts
 * const matrix = createMatrixClient({ baseUrl: "https://matrix.example.org", accessToken });
 * const { unstableFeatures } = await matrix.versions();
 * if (unstableFeatures["org.matrix.msc4140"]) {
 *   const { delayId } = await matrix.sendStateEvent(roomId, type, stateKey, {}, { delayMs: 10_000 });
 * }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function createMatrixClient(options: MatrixClientOptions): MatrixClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const injectedFetch = options.fetch;
  const now = options.now ?? (() => Date.now());
  const random = options.random ?? (() => Math.random());
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const context: HttpContext = {
    baseUrl,
    accessToken: options.accessToken,
    fetch: (input, init) => (injectedFetch ?? globalThis.fetch)(input, init),
    defaultTimeoutMs,
    now,
  };
  const nextTxnId = createTransactionIdGenerator();
  let userId = options.userId;
  let deviceId = options.deviceId;

  const call = <T>(request: MatrixRequest, parse: ResponseParser<T>): Promise<T> => {
    try {
      return performRequest(context, request, parse);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const whoami: MatrixPort["whoami"] = async (requestOpts) => {
    const result = await call(
      { method: "GET", path: "/_matrix/client/v3/account/whoami", ...requestOptions(requestOpts) },
      parseWhoami,
    );
    userId = result.userId;
    deviceId = result.deviceId ?? deviceId;
    return result;
  };

  const ownUserId = async (requestOpts: RequestOptions | undefined): Promise<string> =>
    userId ?? (await whoami(requestOpts)).userId;

  async function* sync(syncOptions: SyncOptions = {}): AsyncGenerator<SyncBatch, void> {
    const longPollMs = syncOptions.timeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;
    const filter =
      typeof syncOptions.filter === "object"
        ? JSON.stringify(syncOptions.filter)
        : syncOptions.filter;
    yield* syncLoop({
      ...(syncOptions.since === undefined ? {} : { since: syncOptions.since }),
      ...(syncOptions.signal === undefined ? {} : { signal: syncOptions.signal }),
      random,
      fetchBatch: async (since) => {
        const pollMs = since === undefined ? 0 : longPollMs;
        const body = await call(
          {
            method: "GET",
            path: "/_matrix/client/v3/sync",
            query: { since, timeout: pollMs, filter },
            ...(syncOptions.signal === undefined ? {} : { signal: syncOptions.signal }),
            timeoutMs: defaultTimeoutMs > 0 ? pollMs + defaultTimeoutMs : 0,
          },
          (json) => parseSyncResponse(json, { initial: since === undefined, receivedTs: now() }),
        );
        return body;
      },
    });
  }

  return {
    baseUrl,
    get userId() {
      return userId;
    },
    get deviceId() {
      return deviceId;
    },
    whoami,
    versions: (requestOpts) =>
      call(
        { method: "GET", path: "/_matrix/client/versions", ...requestOptions(requestOpts) },
        parseVersions,
      ),
    capabilities: (requestOpts) =>
      call(
        { method: "GET", path: "/_matrix/client/v3/capabilities", ...requestOptions(requestOpts) },
        parseCapabilities,
      ),
    sendEvent: async (roomId, eventType, content, sendOptions) =>
      call(
        {
          method: "PUT",
          path: matrixPath`/_matrix/client/v3/rooms/${roomId}/send/${eventType}/${sendOptions?.txnId ?? nextTxnId()}`,
          query: sendQuery(sendOptions),
          body: content,
          ...requestOptions(sendOptions),
        },
        parseSendResult,
      ),
    sendStateEvent: async (roomId, eventType, stateKey, content, sendOptions) =>
      call(
        {
          method: "PUT",
          path: matrixPath`/_matrix/client/v3/rooms/${roomId}/state/${eventType}/${stateKey}`,
          query: sendQuery(sendOptions),
          body: content,
          ...requestOptions(sendOptions),
        },
        parseSendResult,
      ),
    getRoomState: async (roomId, requestOpts) =>
      call(
        {
          method: "GET",
          path: matrixPath`/_matrix/client/v3/rooms/${roomId}/state`,
          ...requestOptions(requestOpts),
        },
        parseStateEvents,
      ),
    sync,
    sendToDevice: async (eventType, messages, sendOptions) => {
      await call(
        {
          method: "PUT",
          path: matrixPath`/_matrix/client/v3/sendToDevice/${eventType}/${sendOptions?.txnId ?? nextTxnId()}`,
          body: { messages },
          ...requestOptions(sendOptions),
        },
        parseObject,
      );
    },
    requestOpenIdToken: async (requestOpts) => {
      const user = await ownUserId(requestOpts);
      return call(
        {
          method: "POST",
          path: matrixPath`/_matrix/client/v3/user/${user}/openid/request_token`,
          body: {},
          ...requestOptions(requestOpts),
        },
        parseOpenIdToken,
      );
    },
    request: <T = unknown>(request: MatrixRequest) => call(request, parseAny) as Promise<T>,
  };
}
