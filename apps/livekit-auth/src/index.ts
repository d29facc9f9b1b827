/**
 * `@mxrtc/livekit-auth`: a drop-in replacement for lk-jwt-service. It turns a Matrix OpenID token
 * into a LiveKit JWT (MSC4195 room alias and identity) and runs delegated delayed leaves (MSC4140)
 * for participants, kept in SQLite or shared through Redis.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 * @packageDocumentation
 */
export type { Clock } from "./clock.js";
export { systemClock } from "./clock.js";
export {
  createDelayedEventActions,
  type DelayedEventActionResult,
  type DelayedEventActions,
} from "./delayed-event-actions.js";
export { createDelegationManager, type DelegationManager } from "./delegation-manager.js";
export {
  createMemoryDelegationStore,
  type DelegationBusMessage,
  type DelegationRecord,
  type DelegationState,
  type DelegationStore,
  delegationKey,
  type ParticipantEventName,
} from "./delegation-store.js";
export {
  type DelegationInput,
  type DelegationTiming,
  STILL_PRESENT_DISCONNECT_REASONS,
} from "./delegation-timing.js";
export {
  createHomeserverResolver,
  type HomeserverResolver,
  WELL_KNOWN_CACHE_MS,
} from "./homeserver-resolver.js";
export {
  createLivekitApi,
  type LivekitApiPort,
  ROOM_DEPARTURE_TIMEOUT_SECONDS,
  ROOM_EMPTY_TIMEOUT_SECONDS,
} from "./livekit-api.js";
export type { LivekitAuthConfig } from "./livekit-auth-config.js";
export { LivekitAuthError } from "./livekit-auth-error.js";
export { createLivekitAuthService, type LivekitAuthService } from "./livekit-auth-service.js";
export {
  defaultDelegationDbPath,
  INSECURE_SKIP_VERIFY_TLS_VALUE,
  loadConfigFromEnv,
} from "./load-config-from-env.js";
export { createLogger, type Logger, type LogLevel, silentLogger } from "./logger.js";
export { mintLivekitToken, TOKEN_TTL_SECONDS } from "./mint-livekit-token.js";
export { createRedisDelegationStore } from "./redis-delegation-store.js";
export { runMain } from "./run-main.js";
export { createSqliteDelegationStore } from "./sqlite-delegation-store.js";
export {
  type OpenIdTokenInput,
  type VerifiedOpenIdUser,
  verifyOpenIdToken,
} from "./verify-openid-token.js";
