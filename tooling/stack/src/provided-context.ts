import type {} from "vitest";
import type { LivekitInfo } from "./start-livekit.js";
import type { SynapseInfo } from "./start-synapse.js";

declare module "vitest" {
  /** Values the stack's vitest global setups provide; read them with `inject("synapse")` etc. */
  interface ProvidedContext {
    /** The Synapse started by `tooling/stack/src/vitest-synapse-setup.ts` for this project. */
    synapse: SynapseInfo;
    /** The LiveKit SFU started by `tooling/stack/src/vitest-livekit-setup.ts` for this project. */
    livekit: LivekitInfo;
  }
}
