import type { FocusMemberV1, FocusPluginV1, FocusTransportV1 } from "@mxrtc/focus";
import type { FakeFocusMatrixPort, FakeMatrixNetwork } from "./fake-focus-matrix-port.js";
import type { TrackedTimer } from "./timer-tracker.js";

/**
 * What the suite gives {@link FocusConformanceOptions.createHarness} for each check.
 *
 * @example
 * ```ts
 * import type { FocusConformanceContext } from "@mxrtc/focus-testkit";
 *
 * function peerFor(context: FocusConformanceContext) {
 *   return context.network; // attach a fake remote peer's Matrix port to this network
 * }
 * ```
 */
export interface FocusConformanceContext {
  /** The loopback network the plugin's Matrix port is attached to (for mesh-style peers). */
  readonly network: FakeMatrixNetwork;
  /** The Matrix port the plugin receives in `connect` (its listeners are counted). */
  readonly matrix: FakeFocusMatrixPort;
}

/**
 * The plugin author's side of the suite: something to connect to and ways to break it.
 *
 * @remarks The suite creates a fresh harness for every check and disposes it at the end of the
 * check, after the plugin's connections are closed and before it counts live timers: `dispose`
 * must stop everything the harness itself started (servers, timers).
 *
 * @example
 * ```ts
 * import type { FocusConformanceHarness } from "@mxrtc/focus-testkit";
 *
 * let lose: (() => void) | undefined;
 * const harness: FocusConformanceHarness = {
 *   transport: () => ({ type: "com.example.sfu", url: "ws://127.0.0.1:7000" }),
 *   breakConnection: () => lose?.(),
 *   unreachableTransport: () => ({ type: "com.example.sfu", url: "ws://127.0.0.1:9" }),
 * };
 * ```
 */
export interface FocusConformanceHarness {
  /** A transport of the plugin's `focusType` that the plugin can connect to and get ready on. */
  transport(): FocusTransportV1;
  /**
   * Makes the current connection(s) fail for good (kill the SFU room, cut the socket and refuse
   * reconnects), so the plugin must report terminal loss. Required when
   * `supports.breakConnection` is true.
   */
  breakConnection?(): void | Promise<void>;
  /**
   * A transport of the plugin's `focusType` that cannot be reached (a closed port, a refusing
   * service). Required when `supports.unreachableTransport` is true.
   */
  unreachableTransport?(): FocusTransportV1 | Promise<FocusTransportV1>;
  /** The remote members to connect with. Default: one synthetic member on {@link transport}. */
  members?(): readonly FocusMemberV1[];
  /** Stops whatever the harness started. Called once per check. */
  dispose?(): void | Promise<void>;
}

/**
 * Which optional harness capabilities the plugin's test can provide.
 *
 * @remarks Both are expected for a real focus; turn one off only when the transport genuinely
 * cannot lose or refuse a connection, and say why in the test. A check whose capability is off is
 * not registered at all (it is neither run nor reported as skipped).
 *
 * @example
 * ```ts
 * const supports: FocusConformanceSupport = { breakConnection: true, unreachableTransport: true };
 * ```
 */
export interface FocusConformanceSupport {
  /** The harness implements `breakConnection`; enables the terminal-loss checks. */
  readonly breakConnection: boolean;
  /** The harness implements `unreachableTransport`; enables the connect-failure check. */
  readonly unreachableTransport: boolean;
}

/**
 * How long the suite waits; real milliseconds (the suite runs with real timers).
 *
 * @example
 * ```ts
 * const timeouts: FocusConformanceTimeouts = { readyMs: 10_000 };
 * ```
 */
export interface FocusConformanceTimeouts {
  /** How long `ready` (and a failing connect) may take to settle. Default `5000`. */
  readonly readyMs?: number;
  /** How long after `breakConnection` the plugin may take to report. Default `5000`. */
  readonly terminalLossMs?: number;
  /** How long the suite waits for stray work before counting calls and timers. Default `20`. */
  readonly settleMs?: number;
}

/**
 * Options for `describeFocusPluginConformance` and `runFocusPluginConformanceCheck`.
 *
 * @example
 * ```ts
 * import type { FocusPluginV1 } from "@mxrtc/focus";
 * import type { FocusConformanceOptions } from "@mxrtc/focus-testkit";
 *
 * declare function createMyFocusPlugin(): FocusPluginV1;
 * const options: FocusConformanceOptions = {
 *   name: "my focus",
 *   createHarness: () => ({ transport: () => ({ type: "com.example.sfu" }) }),
 *   createPlugin: () => createMyFocusPlugin(),
 *   supports: { breakConnection: false, unreachableTransport: false },
 * };
 * ```
 */
export interface FocusConformanceOptions<
  Harness extends FocusConformanceHarness = FocusConformanceHarness,
> {
  /** Shown as the `describe` block name. */
  readonly name: string;
  /** Creates a fresh harness for one check. */
  createHarness(context: FocusConformanceContext): Harness | Promise<Harness>;
  /** Creates the plugin under test for one check (after its harness). */
  createPlugin(harness: Harness): FocusPluginV1;
  /** Which optional harness capabilities are provided. */
  readonly supports: FocusConformanceSupport;
  /** Waiting limits. */
  readonly timeouts?: FocusConformanceTimeouts;
  /**
   * Timers not to count as leaks, for a library the plugin cannot control (prefer fixing the
   * plugin). Default: none. The runtime's own timers (Node's `fetch`) are never counted.
   */
  readonly ignoreTimer?: (timer: TrackedTimer) => boolean;
}
