/**
 * What a command may touch: output streams and the file system, injected so tests run in-process.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), readFile: (path) => readFile(path, "utf8") };
 * ```
 */
export interface CliIo {
  /** Write text to standard output (the text carries its own newlines). */
  readonly stdout: (text: string) => void;
  /** Write text to standard error. */
  readonly stderr: (text: string) => void;
  /** Read a UTF-8 file; rejects when it cannot be read. */
  readonly readFile: (path: string) => Promise<string>;
  /** The fetch live commands use. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** The clock (Unix ms). Default: `Date.now`. */
  readonly now?: () => number;
  /** Environment variables (`NO_COLOR`). Default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour and ✓/✗ markers). Default: false (plain ASCII). */
  readonly stdoutIsTty?: boolean;
  /** Aborted on Ctrl-C / SIGTERM: long-running commands (`join`) leave and return. */
  readonly signal?: AbortSignal;
}

/** Exit codes: 0 success, 1 failure (or a failed doctor check), 2 unusable input or arguments. */
export const EXIT_OK = 0;
/** An unexpected failure (a bug). */
export const EXIT_FAILURE = 1;
/** Unreadable or invalid input, or bad arguments. */
export const EXIT_USAGE = 2;

const marker = Symbol.for("@mxrtc/cli/CliError");

/**
 * A failure to report as one line on stderr with exit code 2 (unreadable file, invalid JSON,
 * not a room dump, bad arguments).
 *
 * @example
 * ```ts
 * if (!Array.isArray(events)) throw new CliError("not a room dump");
 * ```
 */
export class CliError extends Error {
  /** @internal */
  readonly [marker] = true;
  override readonly name = "CliError";

  /** Whether `value` is a CliError from any copy of this package. */
  static isInstance(value: unknown): value is CliError {
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[marker] === true
    );
  }
}
