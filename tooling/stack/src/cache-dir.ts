import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The folder where the stack keeps installs and templates, outside any checkout.
 *
 * @remarks `$MXRTC_CACHE` if set, otherwise `${XDG_CACHE_HOME:-~/.cache}/mxrtc`. CI's fresh
 * clone reuses it, so a repeat install takes seconds.
 *
 * @example
 * ```ts
 * console.log(mxrtcCacheDir()); // /root/.cache/mxrtc
 * ```
 */
export function mxrtcCacheDir(environment: NodeJS.ProcessEnv = process.env): string {
  const explicit = environment.MXRTC_CACHE;
  if (explicit !== undefined && explicit !== "") return explicit;
  const xdg = environment.XDG_CACHE_HOME;
  const base = xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".cache");
  return join(base, "mxrtc");
}
