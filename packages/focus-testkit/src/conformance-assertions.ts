import { type FocusConnectionV1, FocusError } from "@mxrtc/focus";
import type { FocusConformanceHarness } from "./conformance-options.js";
import {
  ConformanceFailure,
  type ConformanceRun,
  describeValue,
  settle,
  sleep,
  withTimeout,
} from "./conformance-run.js";

// Assertions shared by the conformance checks; each failure says what the plugin did.

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

export function assertTypedError(error: unknown, doing: string): void {
  if (!FocusError.isInstance(error)) {
    fail(`${doing} must reject with a FocusError; got ${describeValue(error)}`);
  }
  if (typeof error.code !== "string" || error.code.length === 0) {
    fail(`${doing} rejected with a FocusError without a code`);
  }
}

export function assertNoReports(run: ConformanceRun, when: string): void {
  if (run.leavePort.callCount > 0) {
    const reports = run.leavePort.reports.map((report) => describeValue(report.reason));
    fail(`the leave port was called ${when}: ${reports.join(", ")}`);
  }
}

export async function ready(run: ConformanceRun, connection: FocusConnectionV1): Promise<void> {
  const result = await settle(
    withTimeout(
      connection.ready,
      run.timeouts.readyMs,
      `ready did not settle within ${run.timeouts.readyMs} ms`,
    ),
  );
  if (!result.ok) {
    if (result.error instanceof ConformanceFailure) throw result.error;
    fail(`ready rejected on the harness transport: ${describeValue(result.error)}`);
  }
}

export async function close(run: ConformanceRun, connection: FocusConnectionV1): Promise<void> {
  await withTimeout(connection.close(), run.timeouts.readyMs, "close() did not settle");
}

/** A connect attempt that must fail typed: connect rejects, or it resolves and ready rejects. */
export async function expectTypedFailure(
  run: ConformanceRun,
  attempt: Promise<FocusConnectionV1>,
  doing: string,
): Promise<void> {
  const connected = await settle(
    withTimeout(attempt, run.timeouts.readyMs, `${doing}: connect did not settle`),
  );
  if (!connected.ok) {
    if (connected.error instanceof ConformanceFailure) throw connected.error;
    assertTypedError(connected.error, doing);
    return;
  }
  run.adopt(connected.value);
  const readiness = await settle(
    withTimeout(connected.value.ready, run.timeouts.readyMs, `${doing}: ready did not settle`),
  );
  if (readiness.ok) fail(`${doing} connected and became ready; it must fail`);
  if (readiness.error instanceof ConformanceFailure) throw readiness.error;
  assertTypedError(readiness.error, `${doing} (ready)`);
  await close(run, connected.value);
}

export async function waitForReport(run: ConformanceRun): Promise<void> {
  const deadline = Date.now() + run.timeouts.terminalLossMs;
  while (run.leavePort.callCount === 0) {
    if (Date.now() > deadline) {
      fail(`no reportDisconnect within ${run.timeouts.terminalLossMs} ms of breakConnection()`);
    }
    await sleep(5);
  }
}

export function requireHarness<K extends "breakConnection" | "unreachableTransport">(
  harness: FocusConformanceHarness,
  key: K,
): NonNullable<FocusConformanceHarness[K]> {
  const method = harness[key];
  if (method === undefined) fail(`supports.${key} is true but the harness has no ${key}()`);
  return method.bind(harness) as NonNullable<FocusConformanceHarness[K]>;
}
