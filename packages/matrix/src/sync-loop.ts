import { MatrixConnectionError, MatrixError, MatrixResponseError } from "./matrix-error.js";
import type { SyncBatch } from "./matrix-port.js";

/** Smallest retry delay of the sync loop, in ms (see {@link backoffDelayMs}). */
export const SYNC_BACKOFF_MIN_MS = 1_000;
/** Largest retry delay of the sync loop, in ms (see {@link backoffDelayMs}). */
export const SYNC_BACKOFF_MAX_MS = 30_000;

/**
 * Exponential back-off with jitter: about 1 s, 2 s, 4 s … capped at 30 s, each multiplied by a
 * factor in [0.8, 1.2) and clamped to [1 s, 30 s].
 *
 * @param attempt - failures so far, starting at 0.
 * @param random - a number in [0, 1).
 *
 * @example
 * ```ts
 * backoffDelayMs(0, 0.5); // 1000
 * backoffDelayMs(3, 0.5); // 8000
 * backoffDelayMs(9, 0.5); // 30000
 * ```
 */
export function backoffDelayMs(attempt: number, random: number): number {
  const base = Math.min(SYNC_BACKOFF_MAX_MS, SYNC_BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
  const jittered = Math.round(base * (0.8 + 0.4 * random));
  return Math.min(SYNC_BACKOFF_MAX_MS, Math.max(SYNC_BACKOFF_MIN_MS, jittered));
}

/**
 * How long to wait before retrying a failed sync, or `undefined` when the failure is final
 * (`M_UNKNOWN_TOKEN`, 401, and 4xx other than 408/429; also anything that is not a Matrix error).
 */
export function syncRetryDelayMs(
  error: unknown,
  attempt: number,
  random: number,
): number | undefined {
  if (MatrixConnectionError.isInstance(error) || MatrixResponseError.isInstance(error)) {
    return backoffDelayMs(attempt, random);
  }
  if (!MatrixError.isInstance(error)) return undefined;
  if (error.status === 401 || error.errcode === "M_UNKNOWN_TOKEN") return undefined;
  if (error.status === 429 || error.errcode === "M_LIMIT_EXCEEDED") {
    return error.retryAfterMs ?? backoffDelayMs(attempt, random);
  }
  if (error.status >= 500 || error.status === 408) return backoffDelayMs(attempt, random);
  return undefined;
}

/** Waits `ms`; resolves `false` early (never rejects) when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Input of {@link syncLoop}. */
export interface SyncLoopOptions {
  readonly since?: string;
  readonly signal?: AbortSignal;
  /** Source of jitter in [0, 1). */
  readonly random: () => number;
  /** Fetches one batch; `since` undefined means an initial sync. */
  readonly fetchBatch: (since: string | undefined) => Promise<SyncBatch>;
}

/**
 * The `/sync` loop: yields batches until the signal aborts (then returns without error), retries
 * network errors, 5xx and malformed replies with back-off, honours 429's `retryAfterMs`, and
 * throws a final error (e.g. `M_UNKNOWN_TOKEN`).
 */
export async function* syncLoop(options: SyncLoopOptions): AsyncGenerator<SyncBatch, void> {
  const { signal } = options;
  let since = options.since;
  let failures = 0;
  while (!signal?.aborted) {
    let batch: SyncBatch;
    try {
      batch = await options.fetchBatch(since);
    } catch (error) {
      if (signal?.aborted) return;
      const delay = syncRetryDelayMs(error, failures, options.random());
      if (delay === undefined) throw error;
      failures++;
      if (!(await abortableSleep(delay, signal))) return;
      continue;
    }
    failures = 0;
    since = batch.nextBatch;
    if (signal?.aborted) return;
    yield batch;
  }
}
