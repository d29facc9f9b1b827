import { describe, expect, it } from "vitest";
import {
  type FocusConformanceCheckId,
  runFocusPluginConformanceCheck,
} from "./conformance-checks.js";
import {
  createTestFocus,
  type TestFocusDefects,
  testFocusOptions,
} from "./test-support/test-focus.js";

// Proof that the suite can fail: each defect breaks one rule of FocusPluginV1, and the check for
// that rule must reject with a message saying what happened.
const cases: readonly {
  readonly defect: keyof TestFocusDefects;
  readonly check: FocusConformanceCheckId;
  readonly message: RegExp;
}[] = [
  { defect: "reportTwice", check: "terminal-loss-reported-once", message: /called 2 times/ },
  {
    defect: "silentOnLoss",
    check: "terminal-loss-reported-once",
    message: /no reportDisconnect within 200 ms/,
  },
  {
    defect: "reportAfterClose",
    check: "no-report-after-close",
    message: /leave port was called after close/,
  },
  {
    defect: "reportOnClose",
    check: "connect-ready-close",
    message: /leave port was called by a connect and an intentional close/,
  },
  {
    defect: "leakTimer",
    check: "connect-ready-close",
    message: /1 timer\(s\) still alive after close\(\):\n {2}- interval of 1000 ms/,
  },
  {
    defect: "leakTimer",
    check: "terminal-loss-reported-once",
    message: /timer\(s\) still alive after terminal loss/,
  },
  {
    defect: "leakListener",
    check: "connect-ready-close",
    message: /1 to-device listener\(s\) still subscribed/,
  },
  {
    defect: "leakAbortListener",
    check: "connect-ready-close",
    message: /abort listener on the connect signal/,
  },
  {
    defect: "untypedErrors",
    check: "unreachable-transport-typed",
    message: /must reject with a FocusError; got Error: unreachable/,
  },
  {
    defect: "untypedErrors",
    check: "unsupported-transport-typed",
    message: /must reject with a FocusError/,
  },
  {
    defect: "untypedErrors",
    check: "aborted-before-connect-typed",
    message: /must reject with a FocusError/,
  },
  {
    defect: "closeRejectsAgain",
    check: "close-idempotent",
    message: /close\(\) rejected when called more than once/,
  },
  {
    defect: "readyNeverSettles",
    check: "connect-ready-close",
    message: /ready did not settle within 200 ms/,
  },
  {
    defect: "ignoreAbort",
    check: "aborted-before-connect-typed",
    message: /resolved although its signal was already aborted/,
  },
  {
    defect: "emitAfterClose",
    check: "after-close-harmless",
    message: /events emitted after close\(\): participant-joined/,
  },
  {
    defect: "acceptOtherTypes",
    check: "unsupported-transport-typed",
    message: /became ready; it must fail/,
  },
];

describe("conformance checks against deliberately broken plugins", () => {
  it.each(cases)("$check fails for a plugin with $defect", async ({ defect, check, message }) => {
    await expect(
      runFocusPluginConformanceCheck(check, testFocusOptions({ [defect]: true })),
    ).rejects.toThrow(message);
  });

  it("every broken plugin still passes the checks its defect does not touch (the checks are specific)", async () => {
    await expect(
      runFocusPluginConformanceCheck(
        "connect-ready-close",
        testFocusOptions({ reportTwice: true }),
      ),
    ).resolves.toBeUndefined();
    await expect(
      runFocusPluginConformanceCheck(
        "terminal-loss-reported-once",
        testFocusOptions({ untypedErrors: true }),
      ),
    ).resolves.toBeUndefined();
  });

  it("restores the global timer functions after a failing check", async () => {
    const setTimeoutBefore = globalThis.setTimeout;
    const clearIntervalBefore = globalThis.clearInterval;
    await expect(
      runFocusPluginConformanceCheck("connect-ready-close", testFocusOptions({ leakTimer: true })),
    ).rejects.toThrow();
    expect(globalThis.setTimeout).toBe(setTimeoutBefore);
    expect(globalThis.clearInterval).toBe(clearIntervalBefore);
  });

  it("fails plainly when supports promises a capability the harness lacks", async () => {
    const options = testFocusOptions();
    await expect(
      runFocusPluginConformanceCheck("terminal-loss-reported-once", {
        ...options,
        createHarness: () => {
          const { breakConnection: _unused, ...harness } = createTestFocus();
          return harness;
        },
      }),
    ).rejects.toThrow(
      /supports.breakConnection is true but the harness has no breakConnection\(\)/,
    );
  });

  it("fails plugin-shape when the harness transport is not the plugin's type", async () => {
    const options = testFocusOptions();
    await expect(
      runFocusPluginConformanceCheck("plugin-shape", {
        ...options,
        createHarness: () => ({ ...createTestFocus(), transport: () => ({ type: "livekit" }) }),
      }),
    ).rejects.toThrow(/harness transport type "livekit" is not the plugin's focusType/);
  });

  it("rejects an unknown check id with a TypeError", async () => {
    await expect(
      runFocusPluginConformanceCheck("nope" as FocusConformanceCheckId, testFocusOptions()),
    ).rejects.toThrow(TypeError);
  });

  it("does not count timers the options say to ignore", async () => {
    await expect(
      runFocusPluginConformanceCheck("connect-ready-close", {
        ...testFocusOptions({ leakTimer: true }),
        ignoreTimer: (timer) => timer.kind === "interval" && timer.delayMs === 1000,
      }),
    ).resolves.toBeUndefined();
  });

  it("disposes the harness and restores timers when createPlugin throws", async () => {
    let disposed = 0;
    const setTimeoutBefore = globalThis.setTimeout;
    await expect(
      runFocusPluginConformanceCheck("plugin-shape", {
        ...testFocusOptions(),
        createHarness: () => ({
          ...createTestFocus(),
          dispose: () => {
            disposed += 1;
          },
        }),
        createPlugin: () => {
          throw new Error("plugin factory failed");
        },
      }),
    ).rejects.toThrow("plugin factory failed");
    expect(disposed).toBe(1);
    expect(globalThis.setTimeout).toBe(setTimeoutBefore);
  });
});
