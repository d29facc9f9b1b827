/**
 * `@mxrtc/stack`: real services (Synapse, LiveKit, Redis, Chromium) on loopback for tests and the demo.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
import "./provided-context.js";

export { mxrtcCacheDir } from "./cache-dir.js";
export {
  CHROMIUM_ARGS,
  chromiumExecutablePath,
  DEFAULT_CHROMIUM_PATH,
  type LaunchChromiumOptions,
  launchChromium,
} from "./chromium.js";
export { CALL_MEMBER_EVENT_TYPES, createCallRoom } from "./create-call-room.js";
export {
  createTcpProxy,
  type TcpCutMode,
  type TcpProxy,
  type TcpProxyOptions,
} from "./create-tcp-proxy.js";
export { freeLoopbackPort, freeLoopbackUdpPort, isLoopbackPortFree } from "./free-port.js";
export {
  type InstallLivekitServerOptions,
  installLivekitServer,
  LIVEKIT_SERVER_VERSION,
  livekitServerBinary,
} from "./install-livekit-server.js";
export { type InstallSynapseOptions, installSynapse, SYNAPSE_VERSION } from "./install-synapse.js";
export { joinRoom } from "./join-room.js";
export {
  buildLivekitConfig,
  type LivekitConfigInput,
  UNREACHABLE_LOOPBACK_STUN_SERVER,
} from "./livekit-config.js";
export { LOOPBACK_WEBRTC_INIT_SCRIPT, restrictWebRtcToLoopback } from "./loopback-webrtc.js";
export { matrixRequest } from "./matrix-http.js";
export { type RegisteredUser, registerUser } from "./register-user.js";
export { StackError } from "./stack-error.js";
export {
  type LivekitHandle,
  type LivekitInfo,
  type StartLivekitOptions,
  startLivekit,
} from "./start-livekit.js";
export {
  buildRedisConfig,
  REDIS_SERVER_PATH,
  type RedisHandle,
  redisPing,
  redisProcessId,
  type StartRedisOptions,
  startRedis,
} from "./start-redis.js";
export {
  type StartSynapseOptions,
  type SynapseHandle,
  type SynapseInfo,
  startSynapse,
} from "./start-synapse.js";
export { buildSynapseConfig, type SynapseProfile, TIGHT_RATE_LIMIT } from "./synapse-config.js";
