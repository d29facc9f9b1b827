/** `2026-11-24 19:40:00Z` from Unix ms (UTC, no milliseconds unless present). */
export function formatTs(ts: number): string {
  if (!Number.isFinite(ts)) return String(ts);
  const iso = new Date(ts).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${iso.endsWith(".000Z") ? "" : iso.slice(19, 23)}Z`;
}

/** `1 h 05 min`, `23 min`, `45 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "∞";
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
}
