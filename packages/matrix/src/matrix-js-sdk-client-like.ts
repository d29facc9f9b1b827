/**
 * The part of a matrix-js-sdk (v43) `MatrixClient` that `fromMatrixJsSdk` uses, as a structural
 * type, so this package never imports matrix-js-sdk at runtime. A real `MatrixClient` satisfies it.
 */

/** The part of a js-sdk `MatrixEvent` the adapter reads. */
export interface MatrixJsSdkEventLike {
  /** The event in wire format, decrypted when it was encrypted. */
  getEffectiveEvent(): object;
  getRoomId(): string | undefined;
  isEncrypted(): boolean;
  /** `null` while an encrypted event is not decrypted. */
  getClearContent(): object | null;
  isDecryptionFailure(): boolean;
  /** True for a local echo that is not sent yet. */
  isSending(): boolean;
}

/** The part of a js-sdk `Room` the adapter reads. */
export interface MatrixJsSdkRoomLike {
  readonly roomId: string;
  getMyMembership(): string;
  readonly currentState: {
    readonly events: ReadonlyMap<string, ReadonlyMap<string, MatrixJsSdkEventLike>>;
  };
  getLiveTimeline(): { getEvents(): readonly MatrixJsSdkEventLike[] };
  /** MSC4354 sticky events the client holds (matrix-js-sdk ≥ 39). */
  _unstable_getStickyEvents?(): Iterable<MatrixJsSdkEventLike>;
}

/** Options js-sdk's `http.authedRequest` / `http.request` accept (the ones we pass). */
export interface MatrixJsSdkRequestOptions {
  prefix?: string;
  abortSignal?: AbortSignal;
}

/**
 * A structural view of matrix-js-sdk's `MatrixClient`: the methods `fromMatrixJsSdk` calls and the
 * emitter it listens to (`ClientEvent.Sync`, `ClientEvent.Event`, `ClientEvent.ReceivedToDeviceMessage`,
 * `MatrixEventEvent.Decrypted`).
 *
 * @example
 * ```ts
 * import { createClient } from "matrix-js-sdk";
 * const client: MatrixJsSdkClientLike = createClient({ baseUrl, accessToken, userId, deviceId });
 * ```
 * @see https://github.com/matrix-org/matrix-js-sdk
 */
export interface MatrixJsSdkClientLike {
  readonly baseUrl: string;
  getUserId(): string | null;
  getDeviceId(): string | null;
  readonly http: {
    authedRequest<T>(
      method: string,
      path: string,
      queryParams?: Record<string, string>,
      body?: Record<string, unknown>,
      options?: MatrixJsSdkRequestOptions,
    ): Promise<T>;
    request<T>(
      method: string,
      path: string,
      queryParams?: Record<string, string>,
      body?: Record<string, unknown>,
      options?: MatrixJsSdkRequestOptions,
    ): Promise<T>;
  };
  // The unstable senders type `content` as `never` so js-sdk's per-event-type content map fits;
  // the adapter passes any JSON object.
  sendEvent(
    roomId: string,
    threadId: null,
    eventType: string,
    content: Record<string, unknown>,
    txnId?: string,
  ): Promise<{ event_id: string }>;
  _unstable_sendStickyEvent(
    roomId: string,
    stickyDurationMs: number,
    threadId: null,
    eventType: string,
    content: never,
    txnId?: string,
  ): Promise<{ event_id: string }>;
  _unstable_sendDelayedEvent(
    roomId: string,
    delayOptions: { delay: number },
    threadId: null,
    eventType: string,
    content: never,
    txnId?: string,
  ): Promise<{ delay_id: string }>;
  _unstable_sendStickyDelayedEvent(
    roomId: string,
    stickyDurationMs: number,
    delayOptions: { delay: number },
    threadId: null,
    eventType: string,
    content: never,
    txnId?: string,
  ): Promise<{ delay_id: string }>;
  getOpenIdToken(): Promise<{
    access_token: string;
    token_type: string;
    matrix_server_name: string;
    expires_in: number;
  }>;
  sendToDevice(
    eventType: string,
    contentMap: Map<string, Map<string, Record<string, unknown>>>,
    txnId?: string,
  ): Promise<unknown>;
  getRooms(): MatrixJsSdkRoomLike[];
  getRoom(roomId: string | undefined): MatrixJsSdkRoomLike | null;
  isInitialSyncComplete(): boolean;
  readonly store: { getSyncToken(): string | null };
  decryptEventIfNeeded(event: MatrixJsSdkEventLike): Promise<void>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}
