import { MatrixConnectionError, type MatrixRequestTarget } from "./matrix-error.js";

/** The abort reason of a signal, or a fresh `AbortError` when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

/** Options of {@link guardRequest}. */
export interface GuardOptions {
  readonly signal?: AbortSignal | undefined;
  /** `0`, negative or non-finite: no timeout. */
  readonly timeoutMs: number;
  readonly target: MatrixRequestTarget;
  /** Maps a failure of `run` to the error the caller sees. Default: unchanged. */
  readonly mapError?: (error: unknown) => unknown;
}

/**
 * Runs one request under the caller's signal and a timeout. The caller's abort rejects with the
 * signal's reason; the timeout rejects with `MatrixConnectionError("timeout")`; either aborts the
 * signal passed to `run`. A late failure of `run` after the outcome is settled is swallowed, so
 * nothing rejects unhandled.
 */
export function guardRequest<T>(
  run: (signal: AbortSignal) => Promise<T>,
  options: GuardOptions,
): Promise<T> {
  const { signal: callerSignal, timeoutMs, target } = options;
  if (callerSignal?.aborted) return Promise.reject(abortReason(callerSignal));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      if (callerSignal) settle(() => reject(abortReason(callerSignal)));
    };
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onAbort);
      action();
      controller.abort();
    };
    callerSignal?.addEventListener("abort", onAbort, { once: true });
    if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        settle(() =>
          reject(
            new MatrixConnectionError(
              "timeout",
              `The homeserver did not reply within ${timeoutMs} ms (${target.method} ${target.path})`,
              target,
            ),
          ),
        );
      }, timeoutMs);
    }
    let running: Promise<T>;
    try {
      running = run(controller.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) =>
        settle(() => reject(options.mapError === undefined ? error : options.mapError(error))),
    );
  });
}
