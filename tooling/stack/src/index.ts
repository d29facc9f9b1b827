/**
 * `@mxrtc/stack`: real services (Synapse today) on loopback for tests and the demo.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
import "./provided-context.js";

export { mxrtcCacheDir } from "./cache-dir.js";
export { CALL_MEMBER_EVENT_TYPES, createCallRoom } from "./create-call-room.js";
export {
  createTcpProxy,
  type TcpCutMode,
  type TcpProxy,
  type TcpProxyOptions,
} from "./create-tcp-proxy.js";
export { freeLoopbackPort } from "./free-port.js";
export { type InstallSynapseOptions, installSynapse, SYNAPSE_VERSION } from "./install-synapse.js";
export { joinRoom } from "./join-room.js";
export { matrixRequest } from "./matrix-http.js";
export { type RegisteredUser, registerUser } from "./register-user.js";
export { StackError } from "./stack-error.js";
export {
  type StartSynapseOptions,
  type SynapseHandle,
  type SynapseInfo,
  startSynapse,
} from "./start-synapse.js";
export { buildSynapseConfig, type SynapseProfile, TIGHT_RATE_LIMIT } from "./synapse-config.js";
