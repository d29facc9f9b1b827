import { describe, it } from "vitest";
import {
  FOCUS_PLUGIN_CONFORMANCE_CHECKS,
  runFocusPluginConformanceCheck,
} from "./conformance-checks.js";
import type { FocusConformanceHarness, FocusConformanceOptions } from "./conformance-options.js";

/**
 * Registers the focus plugin conformance suite as a vitest `describe` block: one `it` per check
 * of {@link FOCUS_PLUGIN_CONFORMANCE_CHECKS} whose capability `options.supports` provides.
 *
 * @remarks Call it at the top level of a test file. The checks run with real timers (do not
 * enable `vi.useFakeTimers()` around them); each gets a test timeout of
 * `readyMs + terminalLossMs + 5000` ms. A plugin that passes keeps the rules every host relies
 * on; see {@link FOCUS_PLUGIN_CONFORMANCE_CHECKS} for the list.
 *
 * @example
 * ```ts
 * // my-focus.conformance.test.ts
 * import { describeFocusPluginConformance } from "@mxrtc/focus-testkit";
 * import { createMyFocusPlugin, startMySfuForTests } from "./my-focus.js";
 *
 * describeFocusPluginConformance({
 *   name: "my focus",
 *   async createHarness() {
 *     const sfu = await startMySfuForTests();
 *     return {
 *       transport: () => ({ type: "com.example.sfu", url: sfu.url }),
 *       breakConnection: () => sfu.kickEveryone(),
 *       unreachableTransport: () => ({ type: "com.example.sfu", url: "ws://127.0.0.1:9" }),
 *       dispose: () => sfu.stop(),
 *     };
 *   },
 *   createPlugin: () => createMyFocusPlugin(),
 *   supports: { breakConnection: true, unreachableTransport: true },
 * });
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function describeFocusPluginConformance<Harness extends FocusConformanceHarness>(
  options: FocusConformanceOptions<Harness>,
): void {
  const readyMs = options.timeouts?.readyMs ?? 5000;
  const terminalLossMs = options.timeouts?.terminalLossMs ?? 5000;
  const testTimeoutMs = readyMs + terminalLossMs + 5000;
  describe(`${options.name}: FocusPluginV1 conformance`, () => {
    for (const check of FOCUS_PLUGIN_CONFORMANCE_CHECKS) {
      if (check.requires !== undefined && !options.supports[check.requires]) continue;
      it(check.title, () => runFocusPluginConformanceCheck(check.id, options), testTimeoutMs);
    }
  });
}
