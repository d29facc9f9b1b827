import { describeFocusPluginConformance, type FocusConformanceHarness } from "@mxrtc/focus-testkit";
import {
  createReferenceFocusController,
  createReferenceFocusPlugin,
  type ReferenceFocusController,
} from "./index.js";

interface ReferenceHarness extends FocusConformanceHarness {
  readonly controller: ReferenceFocusController;
}

for (const focusType of ["io.mxrtc.reference", "livekit"]) {
  describeFocusPluginConformance<ReferenceHarness>({
    name: `reference focus as "${focusType}"`,
    createHarness() {
      const controller = createReferenceFocusController();
      return {
        controller,
        transport: () => ({ type: focusType }),
        breakConnection: () => controller.loseConnection("media-connection-lost"),
        unreachableTransport() {
          controller.refuseConnections("connect-failed");
          return { type: focusType };
        },
      };
    },
    createPlugin: (harness) =>
      createReferenceFocusPlugin({ focusType, controller: harness.controller }),
    supports: { breakConnection: true, unreachableTransport: true },
  });
}
