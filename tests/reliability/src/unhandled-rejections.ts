/** Collects process-level unhandled rejections while installed. */
export interface UnhandledRejectionTrap {
  readonly reasons: readonly unknown[];
  /** Removes the listener. */
  dispose(): void;
}

/**
 * Installs a `process.on("unhandledRejection")` listener that records every reason, so a test
 * can assert none happened (a promise the packages forgot to handle).
 */
export function trapUnhandledRejections(): UnhandledRejectionTrap {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => {
    reasons.push(reason);
  };
  process.on("unhandledRejection", listener);
  return {
    reasons,
    dispose() {
      process.off("unhandledRejection", listener);
    },
  };
}
