import { setTimeout as sleep } from "node:timers/promises";

/** Poll `check` every 25 ms until it returns true; throws after `timeoutMs` with `what`. */
export async function waitFor(
  what: string,
  check: () => boolean,
  timeoutMs = 10_000,
): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
  return Date.now() - started;
}
