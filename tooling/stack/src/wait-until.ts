import { setTimeout as sleep } from "node:timers/promises";

/**
 * Polls `probe` until it returns true ("ready"), `stopWhen` returns true ("stopped"), or
 * `timeoutMs` passes ("timeout").
 *
 * @remarks Polls every `intervalMs` (default 50 ms). Never throws for a failed probe: the probe
 * itself reports failure as false.
 *
 * @example
 * ```ts
 * const outcome = await waitUntil(() => isListening(port), { timeoutMs: 10_000 });
 * ```
 */
export async function waitUntil(
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; stopWhen?: () => boolean },
): Promise<"ready" | "stopped" | "timeout"> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (options.stopWhen?.() === true) return "stopped";
    if (await probe()) return "ready";
    if (options.stopWhen?.() === true) return "stopped";
    await sleep(options.intervalMs ?? 50);
  }
  return "timeout";
}
