import type {} from "vitest";
import type { SynapseInfo } from "./start-synapse.js";

declare module "vitest" {
  /** Values the stack's vitest global setups provide; read them with `inject("synapse")`. */
  interface ProvidedContext {
    /** The Synapse started by `tooling/stack/src/vitest-synapse-setup.ts` for this project. */
    synapse: SynapseInfo;
  }
}
