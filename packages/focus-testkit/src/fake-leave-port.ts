import type { DisconnectReport, LeavePortV1 } from "@mxrtc/focus";

/**
 * A {@link LeavePortV1} that records every report instead of acting on it.
 *
 * @remarks Unlike a real host port it is not idempotent on purpose: it counts every call, so a
 * test can assert that a plugin reported terminal loss exactly once.
 *
 * @example
 * ```ts
 * import { createFakeLeavePort, type FakeLeavePort } from "@mxrtc/focus-testkit";
 *
 * const leavePort: FakeLeavePort = createFakeLeavePort();
 * const stop = leavePort.onReport((report) => console.log("lost:", report.reason));
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export interface FakeLeavePort extends LeavePortV1 {
  /** Every report received, in order (including repeated ones). */
  readonly reports: readonly DisconnectReport[];
  /** How many times `reportDisconnect` was called. */
  readonly callCount: number;
  /** Subscribes to reports as they arrive; returns the unsubscribe function. */
  onReport(listener: (report: DisconnectReport) => void): () => void;
  /** Forgets the recorded reports. */
  reset(): void;
}

/**
 * Creates a {@link FakeLeavePort}.
 *
 * @example
 * ```ts
 * import { createFakeLeavePort } from "@mxrtc/focus-testkit";
 *
 * const leavePort = createFakeLeavePort();
 * leavePort.reportDisconnect({ reason: "kicked" });
 * leavePort.callCount; // 1
 * leavePort.reports[0]?.reason; // "kicked"
 * ```
 */
export function createFakeLeavePort(): FakeLeavePort {
  const reports: DisconnectReport[] = [];
  const listeners = new Set<(report: DisconnectReport) => void>();
  return {
    specificationVersion: "v1",
    reportDisconnect(input) {
      const report = { ...input };
      reports.push(report);
      for (const listener of [...listeners]) listener(report);
    },
    get reports() {
      return [...reports];
    },
    get callCount() {
      return reports.length;
    },
    onReport(listener) {
      const wrapped = (report: DisconnectReport) => listener(report);
      listeners.add(wrapped);
      return () => {
        listeners.delete(wrapped);
      };
    },
    reset() {
      reports.length = 0;
    },
  };
}
