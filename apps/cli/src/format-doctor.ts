import type { DoctorResult } from "./doctor-check.js";
import type { DoctorReport } from "./run-doctor.js";

/** How doctor lines are marked: ✓/✗/! with colour on a terminal, plain ASCII otherwise. */
export interface DoctorStyle {
  readonly fancy: boolean;
}

/**
 * Fancy output only on a terminal without `NO_COLOR`.
 *
 * @example
 * ```ts
 * const style = doctorStyle({ stdoutIsTty: process.stdout.isTTY, env: process.env });
 * ```
 */
export function doctorStyle(input: {
  readonly stdoutIsTty?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}): DoctorStyle {
  const noColor = input.env?.NO_COLOR !== undefined && input.env.NO_COLOR !== "";
  return { fancy: input.stdoutIsTty === true && !noColor };
}

const FANCY = {
  ok: "\u001b[32m✓\u001b[0m",
  warn: "\u001b[33m!\u001b[0m",
  fail: "\u001b[31m✗\u001b[0m",
};
const PLAIN = { ok: "[ok]  ", warn: "[warn]", fail: "[FAIL]" };

/**
 * One result as text: the marker and message, then `fix:` on the next line when not ok.
 *
 * @example
 * ```ts
 * formatDoctorLine({ id: "msc4140", status: "ok", message: "delayed events advertised" }, { fancy: false });
 * // "[ok]   delayed events advertised\n"
 * ```
 */
export function formatDoctorLine(result: DoctorResult, style: DoctorStyle): string {
  const marker = (style.fancy ? FANCY : PLAIN)[result.status];
  const fix =
    result.status !== "ok" && result.fix !== undefined ? `\n       fix: ${result.fix}` : "";
  return `${marker} ${result.message}${fix}\n`;
}

/**
 * The closing line: whether calls can work.
 *
 * @example
 * ```ts
 * io.stdout(formatDoctorSummary(report));
 * ```
 */
export function formatDoctorSummary(report: DoctorReport): string {
  const failed = report.results.filter((result) => result.status === "fail").length;
  const warned = report.results.filter((result) => result.status === "warn").length;
  const warnings = warned === 0 ? "" : ` (${warned} warning${warned === 1 ? "" : "s"})`;
  return report.ok
    ? `\nEverything a call needs works${warnings}.\n`
    : `\n${failed} check${failed === 1 ? "" : "s"} a call needs failed${warnings}.\n`;
}
