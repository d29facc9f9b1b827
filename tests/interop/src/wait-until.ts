/**
 * Polls `probe` until it returns a value other than `undefined`, or throws after `timeoutMs`
 * with the description and, if given, the last observed state.
 */
export async function waitUntil<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  options: {
    readonly description: string;
    readonly timeoutMs?: number;
    readonly intervalMs?: number;
    readonly explain?: () => string;
  },
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const detail = options.explain ? `\n${options.explain()}` : "";
      throw new Error(
        `timed out after ${timeoutMs} ms waiting until ${options.description}${detail}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
