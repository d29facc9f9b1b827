import { setTimeout as sleep } from "node:timers/promises";

/** Polls `check` every `intervalMs` until it returns true; throws after `timeoutMs` naming `label`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  options: { readonly timeoutMs: number; readonly label: string; readonly intervalMs?: number },
): Promise<number> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return Date.now();
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for: ${options.label}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}
