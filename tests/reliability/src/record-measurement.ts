import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Folder (git-ignored) where proofs and benchmarks leave their measured figures as JSON. */
export const RESULTS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

/**
 * Prints a measurement and writes it to `results/<name>.json`, so CI logs and artifacts keep the
 * figures behind each proof (timings are recorded, never asserted tighter than the issue asks).
 */
export function recordMeasurement(name: string, figures: Record<string, unknown>): void {
  const record = { name, recordedAt: new Date().toISOString(), ...figures };
  console.log(`[measured] ${name} ${JSON.stringify(figures)}`);
  try {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(`${RESULTS_DIR}${name}.json`, `${JSON.stringify(record, null, 2)}\n`);
  } catch (error) {
    console.warn(`could not write results/${name}.json: ${String(error)}`);
  }
}
