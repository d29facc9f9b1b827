/**
 * An OpenID token a focus can hand to an SFU-side service to prove who it is.
 *
 * @remarks Same fields as the Matrix `POST /_matrix/client/v3/user/{userId}/openid/request_token`
 * reply. The MSC4195 LiveKit service and the mxrtc mediasoup SFU check it against the homeserver.
 *
 * @example
 * ```ts
 * const token: FocusOpenIdTokenV1 = {
 *   access_token: "SomeT0kenHere",
 *   token_type: "Bearer",
 *   matrix_server_name: "example.org",
 *   expires_in: 3600,
 * };
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface FocusOpenIdTokenV1 {
  /** The token; opaque to the focus. */
  readonly access_token: string;
  /** Always `"Bearer"` on current homeservers. */
  readonly token_type: string;
  /** The server name the service must ask to validate the token. */
  readonly matrix_server_name: string;
  /** Seconds until the token expires. */
  readonly expires_in: number;
}

/**
 * One to-device message as a focus receives it.
 *
 * @example
 * ```ts
 * const event: FocusToDeviceEventV1 = {
 *   type: "m.call.invite",
 *   sender: "@bob:example.org",
 *   content: { call_id: "c1" },
 * };
 * ```
 */
export interface FocusToDeviceEventV1 {
  /** The event type, e.g. `"m.call.invite"`. */
  readonly type: string;
  /** The user who sent it (as the homeserver says). */
  readonly sender: string;
  /** The decrypted content. */
  readonly content: Record<string, unknown>;
}

/**
 * The narrow Matrix access a focus plugin gets: OpenID tokens (SFU auth) and to-device messages
 * (mesh signalling).
 *
 * @remarks The host builds this from its own Matrix client and passes it in
 * {@link FocusConnectOptionsV1.matrix}; a plugin never creates a Matrix client and never reads
 * room state. Rules:
 * - `requestOpenIdToken` and `sendToDevice` honour `options.signal` and reject with the signal's
 *   reason when it aborts.
 * - `onToDevice` returns an unsubscribe function. A plugin must call it before (or in) `close()`:
 *   the conformance suite counts listeners.
 * - Messages sent with `sendToDevice` are keyed `userId → deviceId → content`; `"*"` as device id
 *   addresses every device of that user.
 *
 * This interface is a versioned specification: it never changes after release.
 *
 * @example
 * ```ts
 * import type { FocusMatrixPortV1 } from "@mxrtc/focus";
 *
 * async function announce(matrix: FocusMatrixPortV1, peer: { userId: string; deviceId: string }) {
 *   const stop = matrix.onToDevice((event) => {
 *     if (event.type === "com.example.pong") stop();
 *   });
 *   await matrix.sendToDevice("com.example.ping", {
 *     [peer.userId]: { [peer.deviceId]: { from: matrix.deviceId } },
 *   });
 * }
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface FocusMatrixPortV1 {
  /** The local user id, e.g. `"@alice:example.org"`. */
  readonly userId: string;
  /** The local device id. */
  readonly deviceId: string;
  /** The homeserver's client-server API base URL, e.g. `"https://matrix.example.org"`. */
  readonly homeserverBaseUrl: string;
  /** Requests a fresh OpenID token for the local user. */
  requestOpenIdToken(options?: { readonly signal?: AbortSignal }): Promise<FocusOpenIdTokenV1>;
  /** Sends to-device messages (`userId → deviceId → content`). */
  sendToDevice(
    eventType: string,
    messages: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>,
    options?: { readonly signal?: AbortSignal },
  ): Promise<void>;
  /** Subscribes to incoming to-device messages; returns the unsubscribe function. */
  onToDevice(listener: (event: FocusToDeviceEventV1) => void): () => void;
}
