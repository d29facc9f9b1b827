/**
 * The narrow Matrix client surface MatrixRTC needs. Everything in mxrtc that talks to a homeserver
 * talks through a {@link MatrixPort}; `createMatrixClient` implements it over `fetch`,
 * `fromMatrixJsSdk` over an existing matrix-js-sdk client.
 */

/**
 * Options every request accepts.
 *
 * @example
 * ```ts
 * await matrix.whoami({ signal: AbortSignal.timeout(5000), timeoutMs: 2000 });
 * ```
 */
export interface RequestOptions {
  /** Aborts the request; the promise rejects with the signal's reason (an `AbortError`). */
  readonly signal?: AbortSignal;
  /** Per-request timeout in ms; overrides the client's default. `0` disables the timeout. */
  readonly timeoutMs?: number;
}

/**
 * A room event as the client-server API delivers it (`/sync`, `/state`).
 *
 * @remarks `room_id` is filled in by the sync parser when the server omits it.
 */
export interface ClientEvent {
  readonly type: string;
  readonly event_id: string;
  readonly sender: string;
  readonly origin_server_ts: number;
  readonly content: Record<string, unknown>;
  readonly state_key?: string;
  readonly unsigned?: Record<string, unknown>;
  readonly room_id?: string;
  readonly [key: string]: unknown;
}

/**
 * Options for sending a message or state event.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140 (delayed events)
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354 (sticky events)
 */
export interface SendOptions extends RequestOptions {
  /** Schedule the event instead of sending it (MSC4140 `?org.matrix.msc4140.delay=MS`). The result then holds only `delayId`. */
  readonly delayMs?: number;
  /** Make the event sticky (MSC4354 `?org.matrix.msc4354.sticky_duration_ms=MS`, at most 3 600 000). */
  readonly stickyDurationMs?: number;
  /** Transaction id for message events; default: a fresh id unique to this client. Ignored for state events. */
  readonly txnId?: string;
}

/** What the homeserver answered to a send: `eventId` for an immediate send, `delayId` for a delayed one. */
export interface SendResult {
  readonly eventId?: string;
  readonly delayId?: string;
}

/** `GET /_matrix/client/versions`, normalised. */
export interface MatrixVersions {
  readonly versions: readonly string[];
  /** e.g. `{"org.matrix.msc4140": true, "org.matrix.msc4354": true}`. */
  readonly unstableFeatures: Readonly<Record<string, boolean>>;
}

/** An OpenID token (`POST /_matrix/client/v3/user/{userId}/openid/request_token`), as the server sent it. */
export interface OpenIdToken {
  readonly access_token: string;
  readonly token_type: string;
  readonly matrix_server_name: string;
  readonly expires_in: number;
}

/** One room's part of a sync batch. */
export interface SyncRoomUpdate {
  readonly membership: "join" | "leave" | "invite" | "knock";
  readonly state: readonly ClientEvent[];
  readonly timeline: readonly ClientEvent[];
  /**
   * MSC4354 sticky events: `sticky.events` (stable) and `msc4354_sticky.events` (unstable), merged
   * and de-duplicated by event id.
   */
  readonly sticky: readonly ClientEvent[];
  /** The timeline has a gap before its first event. */
  readonly limited?: boolean;
}

/** A to-device event from `/sync`. */
export interface ToDeviceEvent {
  readonly type: string;
  readonly sender: string;
  readonly content: Record<string, unknown>;
}

/**
 * One `/sync` response, normalised.
 *
 * @example
 * ```ts
 * for await (const batch of matrix.sync({ signal })) {
 *   for (const [roomId, room] of Object.entries(batch.rooms)) {
 *     state = applyEvents(state, [...room.state, ...room.timeline, ...room.sticky], { receivedTs: batch.receivedTs });
 *   }
 * }
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export interface SyncBatch {
  /** The token to continue from. */
  readonly nextBatch: string;
  /** This batch is a full (initial) sync: room state is complete, not a delta. */
  readonly initial: boolean;
  /** When the batch arrived (ms since the epoch, from the client's injected clock). */
  readonly receivedTs: number;
  readonly rooms: Readonly<Record<string, SyncRoomUpdate>>;
  readonly toDevice: readonly ToDeviceEvent[];
}

/** Options for {@link MatrixPort.sync}. */
export interface SyncOptions extends RequestOptions {
  /** Continue from this token; the first batch is then incremental. Default: an initial sync. */
  readonly since?: string;
  /** Long-poll time in ms (the `timeout` query parameter). Default 30 000. */
  readonly timeoutMs?: number;
  /** A filter id or an inline filter object. Default: none (see `MATRIXRTC_SYNC_FILTER`). */
  readonly filter?: string | Record<string, unknown>;
}

/**
 * A raw client-server API request for {@link MatrixPort.request}.
 *
 * @example
 * ```ts
 * await matrix.request({
 *   method: "POST",
 *   path: matrixPath`/_matrix/client/unstable/org.matrix.msc4140/delayed_events/${delayId}/restart`,
 *   body: {},
 * });
 * ```
 */
export interface MatrixRequest extends RequestOptions {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  /** e.g. `"/_matrix/client/v3/account/whoami"`, already percent-encoded (see `matrixPath`). */
  readonly path: string;
  /** Query parameters; `undefined` values are left out. */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** JSON body. */
  readonly body?: unknown;
  /** Send the access token. Default `true`. */
  readonly auth?: boolean;
}

/** Messages for {@link MatrixPort.sendToDevice}: user id → device id (or `"*"`) → content. */
export type ToDeviceMessages = Readonly<
  Record<string, Readonly<Record<string, Record<string, unknown>>>>
>;

/**
 * The Matrix client surface mxrtc needs.
 *
 * @remarks Every method rejects with a `MatrixError` (the server answered non-2xx),
 * `MatrixConnectionError` (no answer, or timeout), `MatrixResponseError` (2xx that is not the
 * expected JSON) or the caller's abort reason. Nothing rejects unhandled.
 *
 * @example
 * ```ts
 * const matrix: MatrixPort = createMatrixClient({ baseUrl, accessToken });
 * const { userId } = await matrix.whoami();
 * await matrix.sendStateEvent(roomId, "org.matrix.msc3401.call.member", `_${userId}_DEV_m.call`, {});
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface MatrixPort {
  /** The homeserver's base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** `GET /_matrix/client/v3/account/whoami`. */
  whoami(
    options?: RequestOptions,
  ): Promise<{ readonly userId: string; readonly deviceId?: string }>;
  /** `GET /_matrix/client/versions`. */
  versions(options?: RequestOptions): Promise<MatrixVersions>;
  /** `GET /_matrix/client/v3/capabilities`: the `capabilities` object. */
  capabilities(options?: RequestOptions): Promise<Readonly<Record<string, unknown>>>;
  /** `PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}`, optionally delayed and/or sticky. */
  sendEvent(
    roomId: string,
    eventType: string,
    content: Record<string, unknown>,
    options?: SendOptions,
  ): Promise<SendResult>;
  /** `PUT /_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}`, optionally delayed. */
  sendStateEvent(
    roomId: string,
    eventType: string,
    stateKey: string,
    content: Record<string, unknown>,
    options?: SendOptions,
  ): Promise<SendResult>;
  /** `GET /_matrix/client/v3/rooms/{roomId}/state`: the room's current state events. */
  getRoomState(roomId: string, options?: RequestOptions): Promise<readonly ClientEvent[]>;
  /** A `/sync` stream: loops until `options.signal` aborts; retries network errors with back-off. */
  sync(options?: SyncOptions): AsyncIterable<SyncBatch>;
  /** `PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}`. */
  sendToDevice(
    eventType: string,
    messages: ToDeviceMessages,
    options?: RequestOptions & { readonly txnId?: string },
  ): Promise<void>;
  /** `POST /_matrix/client/v3/user/{userId}/openid/request_token`. */
  requestOpenIdToken(options?: RequestOptions): Promise<OpenIdToken>;
  /** Low-level escape hatch: JSON in, JSON out, the same error mapping. */
  request<T = unknown>(request: MatrixRequest): Promise<T>;
}
