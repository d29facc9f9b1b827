import { DEFAULT_REQUEST_TIMEOUT_MS } from "./create-matrix-client.js";
import { guardRequest } from "./guard-request.js";
import { jsSdkSync } from "./js-sdk-sync.js";
import { mapJsSdkError } from "./map-js-sdk-error.js";
import type { MatrixRequestTarget } from "./matrix-error.js";
import { MatrixResponseError } from "./matrix-error.js";
import type { MatrixJsSdkClientLike } from "./matrix-js-sdk-client-like.js";
import { matrixPath } from "./matrix-path.js";
import type { MatrixPort, MatrixRequest, RequestOptions, SendOptions } from "./matrix-port.js";
import type { ResponseParser } from "./perform-request.js";
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

/**
 * Options of {@link fromMatrixJsSdk}.
 *
 * @example
 * ```ts
 * const matrix = fromMatrixJsSdk(client, { defaultTimeoutMs: 10_000 });
 * ```
 */
export interface FromMatrixJsSdkOptions {
  /** Timeout of each request in ms; `0` disables. Default 30 000. */
  readonly defaultTimeoutMs?: number;
  /** Clock for `SyncBatch.receivedTs` and `Retry-After` dates. Default `Date.now`. */
  readonly now?: () => number;
}

function toQuery(query: MatrixRequest["query"]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) result[key] = String(value);
  }
  return result;
}

/**
 * A {@link MatrixPort} over an existing matrix-js-sdk (v43) `MatrixClient`, so an app that already
 * runs js-sdk adopts mxrtc without a second sync loop or a second login.
 *
 * @remarks
 * - `sync()` yields batches built from the client's own sync (see below); it sends no `/sync`
 *   request and ignores `since`, `filter` and the long-poll `timeoutMs`. The client must be started
 *   (`startClient`). The first batch is a snapshot of the client's rooms (`initial: true`).
 * - Message events go through js-sdk's senders (`sendEvent`, `_unstable_sendStickyEvent`,
 *   `_unstable_sendDelayedEvent`, `_unstable_sendStickyDelayedEvent`), so they are encrypted in
 *   encrypted rooms. State events, room state, whoami, versions, capabilities and `request` use
 *   `client.http.authedRequest` with the full path. To-device messages use `client.sendToDevice`
 *   (not encrypted), OpenID tokens `client.getOpenIdToken`.
 * - js-sdk errors map to `MatrixError` / `MatrixConnectionError` / `MatrixResponseError`; js-sdk's
 *   "unsupported delayed/sticky endpoint" errors become `MatrixError` 404 `M_UNRECOGNIZED`.
 * - A caller's abort or the timeout rejects at once; js-sdk's senders cannot be cancelled, so such a
 *   send may still complete on the server.
 *
 * @example
 * ```ts
 * import { createClient } from "matrix-js-sdk";
 * const client = createClient({ baseUrl, accessToken, userId, deviceId });
 * await client.startClient();
 * const matrix = fromMatrixJsSdk(client);
 * for await (const batch of matrix.sync({ signal })) console.log(Object.keys(batch.rooms));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function fromMatrixJsSdk(
  client: MatrixJsSdkClientLike,
  options: FromMatrixJsSdkOptions = {},
): MatrixPort {
  const now = options.now ?? (() => Date.now());
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const baseUrl = client.baseUrl.replace(/\/+$/, "");

  const guarded = <T>(
    target: MatrixRequestTarget,
    requestOptions: RequestOptions | undefined,
    run: (signal: AbortSignal) => Promise<unknown>,
    parse: ResponseParser<T>,
  ): Promise<T> =>
    guardRequest(
      async (signal) => {
        const json = await run(signal);
        const result = parse(json);
        if (result === undefined) {
          const text = JSON.stringify(json) ?? "";
          throw new MatrixResponseError(
            200,
            text,
            `The homeserver's reply has an unexpected shape (${target.method} ${target.path})`,
            target,
          );
        }
        return result;
      },
      {
        signal: requestOptions?.signal,
        timeoutMs: requestOptions?.timeoutMs ?? defaultTimeoutMs,
        target,
        mapError: (error) => mapJsSdkError(error, target, now),
      },
    );

  const call = <T>(request: MatrixRequest, parse: ResponseParser<T>): Promise<T> => {
    const target = { method: request.method, path: request.path };
    const body = request.body === undefined ? undefined : (request.body as Record<string, unknown>);
    return guarded(
      target,
      request,
      (signal) => {
        const requestOptions = { prefix: "", abortSignal: signal };
        return request.auth === false
          ? client.http.request(
              request.method,
              request.path,
              toQuery(request.query),
              body,
              requestOptions,
            )
          : client.http.authedRequest(
              request.method,
              request.path,
              toQuery(request.query),
              body,
              requestOptions,
            );
      },
      parse,
    );
  };

  const sendEvent: MatrixPort["sendEvent"] = async (roomId, eventType, content, sendOptions) => {
    const target = {
      method: "PUT",
      path: matrixPath`/_matrix/client/v3/rooms/${roomId}/send/${eventType}`,
    };
    const { delayMs, stickyDurationMs, txnId } = sendOptions ?? ({} satisfies SendOptions);
    const payload = content as never;
    return guarded(
      target,
      sendOptions,
      () => {
        if (delayMs !== undefined && stickyDurationMs !== undefined) {
          return client._unstable_sendStickyDelayedEvent(
            roomId,
            stickyDurationMs,
            { delay: delayMs },
            null,
            eventType,
            payload,
            txnId,
          );
        }
        if (delayMs !== undefined) {
          return client._unstable_sendDelayedEvent(
            roomId,
            { delay: delayMs },
            null,
            eventType,
            payload,
            txnId,
          );
        }
        if (stickyDurationMs !== undefined) {
          return client._unstable_sendStickyEvent(
            roomId,
            stickyDurationMs,
            null,
            eventType,
            payload,
            txnId,
          );
        }
        return client.sendEvent(roomId, null, eventType, content, txnId);
      },
      parseSendResult,
    );
  };

  return {
    baseUrl,
    whoami: (requestOptions) =>
      call(
        { method: "GET", path: "/_matrix/client/v3/account/whoami", ...requestOptions },
        parseWhoami,
      ),
    versions: (requestOptions) =>
      call({ method: "GET", path: "/_matrix/client/versions", ...requestOptions }, parseVersions),
    capabilities: (requestOptions) =>
      call(
        { method: "GET", path: "/_matrix/client/v3/capabilities", ...requestOptions },
        parseCapabilities,
      ),
    sendEvent,
    sendStateEvent: async (roomId, eventType, stateKey, content, sendOptions) =>
      call(
        {
          method: "PUT",
          path: matrixPath`/_matrix/client/v3/rooms/${roomId}/state/${eventType}/${stateKey}`,
          query: {
            "org.matrix.msc4140.delay": sendOptions?.delayMs,
            "org.matrix.msc4354.sticky_duration_ms": sendOptions?.stickyDurationMs,
          },
          body: content,
          ...(sendOptions?.signal === undefined ? {} : { signal: sendOptions.signal }),
          ...(sendOptions?.timeoutMs === undefined ? {} : { timeoutMs: sendOptions.timeoutMs }),
        },
        parseSendResult,
      ),
    getRoomState: async (roomId, requestOptions) =>
      call(
        {
          method: "GET",
          path: matrixPath`/_matrix/client/v3/rooms/${roomId}/state`,
          ...requestOptions,
        },
        parseStateEvents,
      ),
    sync: (syncOptions) => jsSdkSync(client, { signal: syncOptions?.signal, now }),
    sendToDevice: async (eventType, messages, sendOptions) => {
      const contentMap = new Map<string, Map<string, Record<string, unknown>>>();
      for (const [userId, devices] of Object.entries(messages)) {
        contentMap.set(userId, new Map(Object.entries(devices)));
      }
      await guarded(
        { method: "PUT", path: matrixPath`/_matrix/client/v3/sendToDevice/${eventType}` },
        sendOptions,
        async () => (await client.sendToDevice(eventType, contentMap, sendOptions?.txnId)) ?? {},
        parseObject,
      );
    },
    requestOpenIdToken: (requestOptions) =>
      guarded(
        { method: "POST", path: "/_matrix/client/v3/user/{userId}/openid/request_token" },
        requestOptions,
        () => client.getOpenIdToken(),
        parseOpenIdToken,
      ),
    request: <T = unknown>(request: MatrixRequest) => call(request, parseAny) as Promise<T>,
  };
}
