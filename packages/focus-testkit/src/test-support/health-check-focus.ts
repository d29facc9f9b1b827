import { FocusError, type FocusPluginV1 } from "@mxrtc/focus";

/** Options for {@link createHealthCheckFocusPlugin}. */
export interface HealthCheckFocusOptions {
  /** Time between health checks. Default `2000` ms. */
  readonly intervalMs?: number;
  /** Failed checks in a row that mean the call is lost. Default `3`. */
  readonly missesBeforeLoss?: number;
  /** The fetch to use. Default `globalThis.fetch`. */
  readonly fetch?: (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean }>;
}

const focusType = "com.example.health-check";

/**
 * A focus for a service that says it is alive at `transport.health_url`. It carries no media;
 * it shows the whole lifecycle: typed connect errors, terminal loss reported once, and a
 * `close()` that leaves no timer or request behind.
 */
export function createHealthCheckFocusPlugin(options: HealthCheckFocusOptions = {}): FocusPluginV1 {
  const intervalMs = options.intervalMs ?? 2000;
  const missesBeforeLoss = options.missesBeforeLoss ?? 3;
  const fetchHealth = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const focusError = (message: string, code: string, cause?: unknown) =>
    new FocusError(message, { code, focusType, cause });

  return {
    specificationVersion: "v1",
    focusType,
    async connect({ transport, signal, leavePort }) {
      const url = transport.health_url;
      if (transport.type !== focusType || typeof url !== "string") {
        throw focusError("the transport has no health_url", "unsupported-transport");
      }
      const healthy = (checkSignal: AbortSignal) =>
        fetchHealth(url, { signal: checkSignal }).then(
          (response) => response.ok,
          () => false,
        );
      if (signal.aborted) throw focusError("connect aborted", "aborted", signal.reason);
      if (!(await healthy(signal))) {
        const code = signal.aborted ? "aborted" : "connect-failed";
        throw focusError(`${url} is not healthy`, code, signal.reason);
      }

      const stop = new AbortController(); // cancels an in-flight check on close()
      let timer: ReturnType<typeof setTimeout> | undefined;
      let misses = 0;
      const scheduleCheck = () => {
        timer = setTimeout(async () => {
          const ok = await healthy(stop.signal);
          if (stop.signal.aborted) return; // closed while checking: say nothing
          misses = ok ? 0 : misses + 1;
          if (misses < missesBeforeLoss) return scheduleCheck();
          leavePort.reportDisconnect({
            reason: "media-connection-lost",
            message: `${misses} health checks of ${url} failed`,
          }); // terminal: no further checks, so this happens exactly once
        }, intervalMs);
      };
      scheduleCheck();

      return {
        ready: Promise.resolve(),
        updateMembers() {}, // a media focus subscribes to the members' tracks here
        on: () => () => {}, // …and emits participant and track events
        async close() {
          stop.abort();
          clearTimeout(timer);
        },
      };
    },
  };
}
