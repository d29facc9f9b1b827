/** Log levels, as `LIVEKIT_LOG_LEVEL` names them. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * Minimal structured logger the service writes to (one line per entry).
 *
 * @example
 * ```ts
 * const logger = createLogger({ level: "debug" });
 * logger.info("listening", { url: "http://127.0.0.1:8080" });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** True for the four level names. */
export function isLogLevel(value: string): value is LogLevel {
  return value in order;
}

/**
 * A logger printing `ISO-time LEVEL message {"field":…}` lines.
 *
 * @param options.level - lowest level printed (default `"info"`).
 * @param options.write - line sink (default: standard error).
 */
export function createLogger(
  options: { level?: LogLevel; write?: (line: string) => void } = {},
): Logger {
  const minimum = order[options.level ?? "info"];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const entry = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (order[level] < minimum) return;
    const suffix = fields === undefined ? "" : ` ${safeJson(fields)}`;
    write(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${suffix}`);
  };
  return { debug: entry("debug"), info: entry("info"), warn: entry("warn"), error: entry("error") };
}

/**
 * A logger that prints nothing (tests).
 *
 * @example
 * ```ts
 * createLivekitAuthService({ ...config, logger: silentLogger });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function safeJson(fields: Record<string, unknown>): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) =>
      value instanceof Error ? `${value.name}: ${value.message}` : value,
    );
  } catch {
    return "{}";
  }
}
