import { isFocusPluginV1 } from "@mxrtc/focus";
import {
  assertNoReports,
  assertTypedError,
  close,
  expectTypedFailure,
  fail,
  ready,
  requireHarness,
  waitForReport,
} from "./conformance-assertions.js";
import type {
  FocusConformanceHarness,
  FocusConformanceOptions,
  FocusConformanceSupport,
} from "./conformance-options.js";
import {
  ConformanceFailure,
  type ConformanceRun,
  describeValue,
  settle,
  sleep,
  withConformanceRun,
  withTimeout,
} from "./conformance-run.js";
import { createTrackedSignal } from "./tracked-signal.js";

/**
 * The id of one conformance check, stable across releases of the testkit.
 *
 * @example
 * ```ts
 * const id: FocusConformanceCheckId = "terminal-loss-reported-once";
 * ```
 */
export type FocusConformanceCheckId =
  | "plugin-shape"
  | "connect-ready-close"
  | "close-idempotent"
  | "after-close-harmless"
  | "terminal-loss-reported-once"
  | "no-report-after-close"
  | "unreachable-transport-typed"
  | "unsupported-transport-typed"
  | "aborted-before-connect-typed"
  | "aborted-during-connect";

/**
 * One check of the conformance suite.
 *
 * @example
 * ```ts
 * import { FOCUS_PLUGIN_CONFORMANCE_CHECKS } from "@mxrtc/focus-testkit";
 *
 * for (const check of FOCUS_PLUGIN_CONFORMANCE_CHECKS) console.log(check.id, check.title);
 * ```
 */
export interface FocusConformanceCheck {
  /** Stable id. */
  readonly id: FocusConformanceCheckId;
  /** The test title, a sentence about the plugin. */
  readonly title: string;
  /** The harness capability the check needs, if any. */
  readonly requires?: keyof FocusConformanceSupport;
}

interface CheckDefinition extends FocusConformanceCheck {
  run(run: ConformanceRun): Promise<void>;
}

const checks: readonly CheckDefinition[] = [
  {
    id: "plugin-shape",
    title: "is a v1 plugin whose focusType matches the harness transport",
    async run(run) {
      if (!isFocusPluginV1(run.plugin)) {
        fail(
          "createPlugin() did not return a FocusPluginV1 (specificationVersion, focusType, connect)",
        );
      }
      const transport = run.harness.transport();
      if (transport.type !== run.plugin.focusType) {
        fail(
          `harness transport type "${transport.type}" is not the plugin's focusType "${run.plugin.focusType}"`,
        );
      }
    },
  },
  {
    id: "connect-ready-close",
    title: "connects, settles ready, closes, and leaves no timer or listener behind",
    async run(run) {
      const connection = await run.connect();
      await ready(run, connection);
      const unsubscribe = connection.on("participant-joined", () => {});
      if (typeof unsubscribe !== "function") fail("on() must return an unsubscribe function");
      unsubscribe();
      unsubscribe();
      connection.updateMembers(run.members());
      connection.updateMembers([]);
      await close(run, connection);
      assertNoReports(run, "by a connect and an intentional close()");
      await run.assertNothingAlive("after close()");
    },
  },
  {
    id: "close-idempotent",
    title: "close() is idempotent, also when called concurrently",
    async run(run) {
      const connection = await run.connect();
      await ready(run, connection);
      const results = await Promise.allSettled([connection.close(), connection.close()]);
      const again = await settle(connection.close());
      for (const result of [
        ...results.map((entry) =>
          entry.status === "fulfilled" ? { ok: true } : { ok: false, error: entry.reason },
        ),
        again,
      ]) {
        if (!result.ok)
          fail(`close() rejected when called more than once: ${describeValue(result.error)}`);
      }
      assertNoReports(run, "by close()");
      await run.assertNothingAlive("after three close() calls");
    },
  },
  {
    id: "after-close-harmless",
    title: "updateMembers() and on() after close() are harmless and emit nothing",
    async run(run) {
      const connection = await run.connect();
      await ready(run, connection);
      const emitted: string[] = [];
      for (const event of [
        "participant-joined",
        "participant-left",
        "track-added",
        "track-removed",
      ] as const) {
        connection.on(event, () => emitted.push(event));
      }
      await close(run, connection);
      emitted.length = 0;
      const others = [
        {
          userId: "@carol:example.org",
          deviceId: "CAROL",
          memberId: "conformance-carol",
          transports: [run.harness.transport()],
        },
      ];
      connection.updateMembers(others);
      connection.updateMembers([]);
      const unsubscribe = connection.on("participant-joined", () => emitted.push("late"));
      if (typeof unsubscribe === "function") unsubscribe();
      await run.settle();
      if (emitted.length > 0) fail(`events emitted after close(): ${emitted.join(", ")}`);
      assertNoReports(run, "after close()");
      await run.assertNothingAlive("after updateMembers() on a closed connection");
    },
  },
  {
    id: "terminal-loss-reported-once",
    title: "reports terminal loss to the leave port exactly once",
    requires: "breakConnection",
    async run(run) {
      const breakConnection = requireHarness(run.harness, "breakConnection");
      const connection = await run.connect();
      await ready(run, connection);
      await breakConnection();
      await waitForReport(run);
      await sleep(Math.max(run.timeouts.settleMs * 5, 50));
      connection.updateMembers(run.members());
      await run.settle();
      if (run.leavePort.callCount !== 1) {
        const reasons = run.leavePort.reports.map((report) => describeValue(report.reason));
        fail(
          `reportDisconnect was called ${run.leavePort.callCount} times (${reasons.join(", ")}); it must be called exactly once`,
        );
      }
      const [report] = run.leavePort.reports;
      if (typeof report?.reason !== "string" || report.reason.length === 0) {
        fail(`the report has no reason: ${describeValue(report)}`);
      }
      await close(run, connection);
      await run.assertNothingAlive("after terminal loss and close()");
      if (run.leavePort.callCount !== 1) fail("reportDisconnect was called again after close()");
    },
  },
  {
    id: "no-report-after-close",
    title: "never calls the leave port after close(), even when the connection then breaks",
    requires: "breakConnection",
    async run(run) {
      const breakConnection = requireHarness(run.harness, "breakConnection");
      const connection = await run.connect();
      await ready(run, connection);
      await close(run, connection);
      await breakConnection();
      await sleep(Math.max(run.timeouts.settleMs * 5, 50));
      assertNoReports(run, "after close()");
      await run.assertNothingAlive("after close() and a broken connection");
      assertNoReports(run, "after close()");
    },
  },
  {
    id: "unreachable-transport-typed",
    title: "fails to connect to an unreachable transport with a typed FocusError",
    requires: "unreachableTransport",
    async run(run) {
      const unreachableTransport = requireHarness(run.harness, "unreachableTransport");
      const transport = await unreachableTransport();
      await expectTypedFailure(
        run,
        run.plugin.connect(run.connectOptions(transport)),
        "connect to an unreachable transport",
      );
      if (run.leavePort.callCount > 1)
        fail("a failed connect called the leave port more than once");
      await run.assertNothingAlive("after a failed connect");
    },
  },
  {
    id: "unsupported-transport-typed",
    title: "rejects a transport of another type with a typed FocusError",
    async run(run) {
      const transport = {
        ...run.harness.transport(),
        type: `${run.plugin.focusType}.conformance-other-type`,
      };
      await expectTypedFailure(
        run,
        run.plugin.connect(run.connectOptions(transport)),
        "connect to a transport of another type",
      );
      await run.assertNothingAlive("after connect to a transport of another type");
    },
  },
  {
    id: "aborted-before-connect-typed",
    title: "rejects connect with an already-aborted signal with a typed FocusError",
    async run(run) {
      const signal = createTrackedSignal();
      signal.controller.abort(new Error("aborted by the conformance suite"));
      const attempt = settle(
        withTimeout(
          run.plugin.connect(run.connectOptions(run.harness.transport(), signal)),
          run.timeouts.readyMs,
          "connect with an aborted signal did not settle",
        ),
      );
      const result = await attempt;
      if (result.ok) {
        run.adopt(result.value);
        fail("connect resolved although its signal was already aborted");
      }
      if (result.error instanceof ConformanceFailure) throw result.error;
      assertTypedError(result.error, "connect with an aborted signal");
      assertNoReports(run, "by an aborted connect");
      await run.assertNothingAlive("after an aborted connect");
    },
  },
  {
    id: "aborted-during-connect",
    title:
      "aborting an in-flight connect rejects typed or yields a closable connection, leaving nothing behind",
    async run(run) {
      const signal = createTrackedSignal();
      const attempt = run.plugin.connect(run.connectOptions(run.harness.transport(), signal));
      signal.controller.abort(new Error("aborted by the conformance suite"));
      const result = await settle(
        withTimeout(attempt, run.timeouts.readyMs, "an aborted connect did not settle"),
      );
      if (result.ok) {
        run.adopt(result.value);
        await close(run, result.value);
      } else {
        if (result.error instanceof ConformanceFailure) throw result.error;
        assertTypedError(result.error, "an aborted connect");
      }
      assertNoReports(run, "by an aborted connect");
      await run.assertNothingAlive("after an aborted connect");
    },
  },
];

/**
 * Every check of the conformance suite, in the order `describeFocusPluginConformance` registers
 * them.
 *
 * @remarks What they prove, together: connect failures (unreachable transport, another transport
 * type, an aborted signal) reject with `FocusError` carrying a `code`; `ready` settles; the leave
 * port is called exactly once on terminal loss and never by or after `close()`; `close()` is
 * idempotent; `updateMembers()` and `on()` after `close()` emit nothing; and no timer, interval,
 * to-device listener or connect-signal abort listener outlives `close()` or a failed connect.
 *
 * @example
 * ```ts
 * import { FOCUS_PLUGIN_CONFORMANCE_CHECKS } from "@mxrtc/focus-testkit";
 *
 * const optional = FOCUS_PLUGIN_CONFORMANCE_CHECKS.filter((check) => check.requires !== undefined);
 * ```
 */
export const FOCUS_PLUGIN_CONFORMANCE_CHECKS: readonly FocusConformanceCheck[] = Object.freeze(
  checks.map(({ id, title, requires }) =>
    Object.freeze(requires === undefined ? { id, title } : { id, title, requires }),
  ),
);

/**
 * Runs one conformance check outside `describe`/`it`: resolves when the plugin passes, rejects
 * with an error describing what happened when it does not.
 *
 * @remarks Every run creates a fresh harness, plugin, fake leave port, fake Matrix port and timer
 * tracker, and cleans all of them up (closing any connection still open) whatever the outcome.
 * The check runs even when its `requires` capability is off in `options.supports` (and then
 * fails if the harness lacks the method), so a test can target one check directly.
 *
 * @example
 * ```ts
 * import { runFocusPluginConformanceCheck } from "@mxrtc/focus-testkit";
 * import { expect, it } from "vitest";
 * import { conformanceOptions } from "./my-focus.conformance.js";
 *
 * it("reports terminal loss once", async () => {
 *   await expect(
 *     runFocusPluginConformanceCheck("terminal-loss-reported-once", conformanceOptions),
 *   ).resolves.toBeUndefined();
 * });
 * ```
 */
export async function runFocusPluginConformanceCheck<Harness extends FocusConformanceHarness>(
  id: FocusConformanceCheckId,
  options: FocusConformanceOptions<Harness>,
): Promise<void> {
  const check = checks.find((candidate) => candidate.id === id);
  if (check === undefined) throw new TypeError(`unknown conformance check "${String(id)}"`);
  await withConformanceRun(options, (run) => check.run(run));
}
