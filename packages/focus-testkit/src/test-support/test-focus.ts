import {
  type FocusConnectionEventsV1,
  type FocusConnectionV1,
  FocusError,
  type FocusMemberV1,
  type FocusPluginV1,
} from "@mxrtc/focus";
import type { FocusConformanceHarness, FocusConformanceOptions } from "../conformance-options.js";

/** Bugs the test focus can be told to have, each one a rule of FocusPluginV1 broken on purpose. */
export interface TestFocusDefects {
  readonly reportTwice?: boolean;
  readonly silentOnLoss?: boolean;
  readonly reportAfterClose?: boolean;
  readonly reportOnClose?: boolean;
  readonly leakTimer?: boolean;
  readonly leakListener?: boolean;
  readonly leakAbortListener?: boolean;
  readonly untypedErrors?: boolean;
  readonly closeRejectsAgain?: boolean;
  readonly readyNeverSettles?: boolean;
  readonly ignoreAbort?: boolean;
  readonly emitAfterClose?: boolean;
  readonly acceptOtherTypes?: boolean;
}

export const TEST_FOCUS_TYPE = "com.example.test-focus";

/** A harness that also carries the plugin it drives. */
export interface TestFocusHarness extends FocusConformanceHarness {
  readonly plugin: FocusPluginV1;
}

interface LiveConnection {
  lose(): void;
}

/**
 * A small well-behaved focus (an interval heartbeat, a to-device listener, an abort listener
 * during connect, all cleaned up) with a harness, plus switches that break one rule each.
 */
export function createTestFocus(defects: TestFocusDefects = {}): TestFocusHarness {
  const live = new Set<LiveConnection>();
  const failure = (message: string, code: string): Error =>
    defects.untypedErrors === true
      ? new Error(message)
      : new FocusError(message, { code, focusType: TEST_FOCUS_TYPE });

  const plugin: FocusPluginV1 = {
    specificationVersion: "v1",
    focusType: TEST_FOCUS_TYPE,
    async connect(options) {
      const { signal, leavePort, matrix } = options;
      if (signal.aborted && defects.ignoreAbort !== true) throw failure("aborted", "aborted");
      if (options.transport.type !== TEST_FOCUS_TYPE && defects.acceptOtherTypes !== true) {
        throw failure(`cannot serve ${options.transport.type}`, "unsupported-transport");
      }
      let abortedDuringConnect = false;
      const onAbort = () => {
        abortedDuringConnect = true;
      };
      signal.addEventListener("abort", onAbort);
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
      if (defects.leakAbortListener !== true) signal.removeEventListener("abort", onAbort);
      if (abortedDuringConnect && defects.ignoreAbort !== true) throw failure("aborted", "aborted");
      if (options.transport.reachable === false) throw failure("unreachable", "connect-failed");

      let closed = false;
      let reported = false;
      let members = new Map<string, FocusMemberV1>();
      const listeners = new Map<string, Set<(payload: never) => void>>();
      const heartbeat = setInterval(() => {}, 1000);
      const stopToDevice = matrix.onToDevice(() => {});
      const emit = <E extends keyof FocusConnectionEventsV1>(
        event: E,
        payload: FocusConnectionEventsV1[E],
      ) => {
        for (const listener of listeners.get(event) ?? []) {
          (listener as (value: FocusConnectionEventsV1[E]) => void)(payload);
        }
      };
      const report = () => {
        leavePort.reportDisconnect({ reason: "media-connection-lost" });
      };
      const liveConnection: LiveConnection = {
        lose() {
          if (defects.silentOnLoss === true) return;
          if (closed && defects.reportAfterClose !== true) return;
          if (reported) return;
          reported = true;
          report();
          if (defects.reportTwice === true) report();
        },
      };
      live.add(liveConnection);
      const connection: FocusConnectionV1 = {
        ready: defects.readyNeverSettles === true ? new Promise<void>(() => {}) : Promise.resolve(),
        updateMembers(next) {
          if (closed && defects.emitAfterClose !== true) return;
          const nextMembers = new Map(next.map((member) => [member.memberId, member]));
          for (const [memberId, member] of nextMembers) {
            if (!members.has(memberId))
              emit("participant-joined", { member, participantId: memberId });
          }
          for (const [memberId, member] of members) {
            if (!nextMembers.has(memberId))
              emit("participant-left", { member, participantId: memberId });
          }
          members = nextMembers;
        },
        on(event, listener) {
          if (closed) return () => {};
          const set = listeners.get(event) ?? new Set();
          listeners.set(event, set);
          set.add(listener as (payload: never) => void);
          return () => {
            set.delete(listener as (payload: never) => void);
          };
        },
        async close() {
          if (closed) {
            if (defects.closeRejectsAgain === true) throw new Error("already closed");
            return;
          }
          closed = true;
          if (defects.reportAfterClose !== true) live.delete(liveConnection);
          if (defects.emitAfterClose !== true) listeners.clear();
          if (defects.leakTimer !== true) clearInterval(heartbeat);
          if (defects.leakListener !== true) stopToDevice();
          if (defects.reportOnClose === true) report();
        },
      };
      return connection;
    },
  };

  return {
    plugin,
    transport: () => ({ type: TEST_FOCUS_TYPE }),
    unreachableTransport: () => ({ type: TEST_FOCUS_TYPE, reachable: false }),
    breakConnection() {
      for (const connection of live) queueMicrotask(() => connection.lose());
    },
    dispose() {
      live.clear();
    },
  };
}

/** Conformance options for the test focus with the given defects. */
export function testFocusOptions(
  defects: TestFocusDefects = {},
  timeouts: FocusConformanceOptions["timeouts"] = { readyMs: 200, terminalLossMs: 200 },
): FocusConformanceOptions<TestFocusHarness> {
  return {
    name: "test focus",
    createHarness: () => createTestFocus(defects),
    createPlugin: (harness) => harness.plugin,
    supports: { breakConnection: true, unreachableTransport: true },
    timeouts,
  };
}
