/**
 * `@mxrtc/matrix`: the narrow Matrix client surface MatrixRTC needs ({@link MatrixPort}), over
 * `fetch` ({@link createMatrixClient}) or an existing matrix-js-sdk client.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 * @packageDocumentation
 */

export type { MatrixClient, MatrixClientOptions } from "./create-matrix-client.js";
export {
  createMatrixClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SYNC_TIMEOUT_MS,
} from "./create-matrix-client.js";
export type { FromMatrixJsSdkOptions } from "./from-matrix-js-sdk.js";
export { fromMatrixJsSdk } from "./from-matrix-js-sdk.js";
export type { MatrixErrorInit, MatrixRequestTarget } from "./matrix-error.js";
export {
  MatrixConnectionError,
  MatrixError,
  MatrixPortError,
  MatrixResponseError,
} from "./matrix-error.js";
export type {
  MatrixJsSdkClientLike,
  MatrixJsSdkEventLike,
  MatrixJsSdkRequestOptions,
  MatrixJsSdkRoomLike,
} from "./matrix-js-sdk-client-like.js";
export { matrixPath } from "./matrix-path.js";
export type {
  ClientEvent,
  MatrixPort,
  MatrixRequest,
  MatrixVersions,
  OpenIdToken,
  RequestOptions,
  SendOptions,
  SendResult,
  SyncBatch,
  SyncOptions,
  SyncRoomUpdate,
  ToDeviceEvent,
  ToDeviceMessages,
} from "./matrix-port.js";
export { MATRIXRTC_SYNC_FILTER } from "./matrixrtc-sync-filter.js";
export { retryAfterMs } from "./retry-after.js";
export { backoffDelayMs, SYNC_BACKOFF_MAX_MS, SYNC_BACKOFF_MIN_MS } from "./sync-loop.js";
