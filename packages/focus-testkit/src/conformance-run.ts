import type {
  FocusConnectionV1,
  FocusConnectOptionsV1,
  FocusMemberV1,
  FocusPluginV1,
  FocusTransportV1,
} from "@mxrtc/focus";
import type {
  FocusConformanceHarness,
  FocusConformanceOptions,
  FocusConformanceTimeouts,
} from "./conformance-options.js";
import type { FakeFocusMatrixPort } from "./fake-focus-matrix-port.js";
import { createFakeFocusMatrixPort, createFakeMatrixNetwork } from "./fake-focus-matrix-port.js";
import { createFakeLeavePort, type FakeLeavePort } from "./fake-leave-port.js";
import { installTimerTracker, type TimerTracker } from "./timer-tracker.js";
import { createTrackedSignal, type TrackedSignal } from "./tracked-signal.js";

// Captured at import, before any tracker or fake timers: the suite's own waiting is never counted.
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Fails a check with a message that says what happened. */
export class ConformanceFailure extends Error {
  override name = "ConformanceFailure";
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** Settles `promise` or fails after `ms` real milliseconds with `message`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = realSetTimeout(() => reject(new ConformanceFailure(message)), ms);
    promise.then(
      (value) => {
        realClearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        realClearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The outcome of a promise, without throwing. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

export function describeValue(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Everything one check works with; created fresh per check. */
export interface ConformanceRun {
  readonly plugin: FocusPluginV1;
  readonly harness: FocusConformanceHarness;
  readonly leavePort: FakeLeavePort;
  readonly matrix: FakeFocusMatrixPort;
  readonly timeouts: Required<FocusConformanceTimeouts>;
  readonly tracker: TimerTracker;
  members(): readonly FocusMemberV1[];
  connectOptions(transport: FocusTransportV1, signal?: TrackedSignal): FocusConnectOptionsV1;
  /** Connects with a fresh tracked signal; the connection is closed at cleanup if still open. */
  connect(transport?: FocusTransportV1): Promise<FocusConnectionV1>;
  trackSignal(signal: TrackedSignal): void;
  adopt(connection: FocusConnectionV1): void;
  /** Waits `settleMs` real milliseconds for stray work. */
  settle(): Promise<void>;
  /** Disposes the harness, waits, and asserts no timer, to-device or abort listener is alive. */
  assertNothingAlive(afterWhat: string): Promise<void>;
  cleanup(): Promise<void>;
}

const defaultTimeouts: Required<FocusConformanceTimeouts> = {
  readyMs: 5000,
  terminalLossMs: 5000,
  settleMs: 20,
};

export async function startConformanceRun<Harness extends FocusConformanceHarness>(
  options: FocusConformanceOptions<Harness>,
): Promise<ConformanceRun> {
  const timeouts = { ...defaultTimeouts, ...options.timeouts };
  const tracker = installTimerTracker(
    options.ignoreTimer === undefined ? {} : { ignore: options.ignoreTimer },
  );
  const network = createFakeMatrixNetwork();
  const matrix = createFakeFocusMatrixPort({ network });
  const leavePort = createFakeLeavePort();
  const connections: FocusConnectionV1[] = [];
  const signals: TrackedSignal[] = [];
  let disposed = false;
  let harness: Harness;
  let plugin: FocusPluginV1;
  try {
    harness = await options.createHarness({ network, matrix });
  } catch (error) {
    tracker.restore();
    throw error;
  }
  try {
    plugin = options.createPlugin(harness);
  } catch (error) {
    await settle(Promise.resolve().then(() => harness.dispose?.()));
    tracker.restore();
    throw error;
  }

  const disposeHarness = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    await harness.dispose?.();
  };

  const run: ConformanceRun = {
    plugin,
    harness,
    leavePort,
    matrix,
    timeouts,
    tracker,
    members() {
      if (harness.members !== undefined) return harness.members();
      return [
        {
          userId: "@bob:example.org",
          deviceId: "BOBDEVICE",
          memberId: "conformance-bob",
          transports: [harness.transport()],
        },
      ];
    },
    connectOptions(transport, signal = createTrackedSignal()) {
      run.trackSignal(signal);
      return {
        transport,
        roomId: "!conformance:example.org",
        slotId: "m.call#ROOM",
        localMember: {
          userId: matrix.userId,
          deviceId: matrix.deviceId,
          memberId: "conformance-local",
        },
        members: run.members(),
        leavePort,
        matrix,
        signal: signal.signal,
      };
    },
    async connect(transport = harness.transport()) {
      const connection = await plugin.connect(run.connectOptions(transport));
      run.adopt(connection);
      return connection;
    },
    trackSignal(signal) {
      if (!signals.includes(signal)) signals.push(signal);
    },
    adopt(connection) {
      connections.push(connection);
      // A check that does not look at `ready` must not turn its rejection into an unhandled one.
      settle(Promise.resolve(connection.ready)).catch(() => {});
    },
    settle: () => sleep(timeouts.settleMs),
    async assertNothingAlive(afterWhat) {
      await run.settle();
      await disposeHarness();
      await run.settle();
      const problems: string[] = [];
      if (tracker.pendingCount > 0) {
        const details = tracker
          .pending()
          .map((timer) => `  - ${timer.kind} of ${timer.delayMs} ms, ${timer.createdAt}`)
          .join("\n");
        problems.push(`${tracker.pendingCount} timer(s) still alive ${afterWhat}:\n${details}`);
      }
      if (matrix.listenerCount > 0) {
        problems.push(
          `${matrix.listenerCount} to-device listener(s) still subscribed ${afterWhat}`,
        );
      }
      for (const signal of signals) {
        if (signal.signal.aborted) continue;
        if (signal.abortListenerCount > 0 || signal.signal.onabort !== null) {
          problems.push(`an abort listener on the connect signal is still attached ${afterWhat}`);
        }
      }
      if (problems.length > 0) throw new ConformanceFailure(problems.join("\n"));
    },
    async cleanup() {
      try {
        const closing = Promise.allSettled(connections.map((connection) => connection.close()));
        await settle(withTimeout(closing, timeouts.readyMs, "close() did not settle"));
        await disposeHarness();
      } finally {
        tracker.restore();
      }
    },
  };
  return run;
}

/** Runs `body` with a fresh run and always cleans up; `body`'s error wins over cleanup's. */
export async function withConformanceRun<Harness extends FocusConformanceHarness>(
  options: FocusConformanceOptions<Harness>,
  body: (run: ConformanceRun) => Promise<void>,
): Promise<void> {
  const run = await startConformanceRun(options);
  const outcome = await settle(body(run));
  const cleanup = await settle(run.cleanup());
  if (!outcome.ok) throw outcome.error;
  if (!cleanup.ok) throw cleanup.error;
}
