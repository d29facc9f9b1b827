import { accessSync, constants } from "node:fs";
import type { Browser, LaunchOptions } from "playwright-core";
import { StackError } from "./stack-error.js";

/** Where Debian's `chromium` package puts the browser. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Flags for a headless Chromium in tests: no sandbox or GPU, no background traffic (QUIC,
 * component updates, sync), fake camera and microphone with auto-accepted permission, and
 * loopback allowed in WebRTC (needed for loopback-only ICE).
 *
 * @remarks `--user-data-dir` is per launch and not included: Playwright makes a temp profile
 * for each {@link launchChromium}; other launchers must pass their own.
 *
 * @example
 * ```ts
 * spawn(chromiumExecutablePath(), [...CHROMIUM_ARGS, `--user-data-dir=${dir}`, url]);
 * ```
 */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-domain-reliability",
  "--metrics-recording-only",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--allow-loopback-in-peer-connection",
]);

/**
 * Path of the Chromium the tests drive: `$MXRTC_CHROMIUM` if set, else `/usr/bin/chromium`
 * (Debian's `chromium`, installed by `pnpm stack install`).
 *
 * @remarks Never `npx playwright install`: browser downloads are blocked here. Throws a
 * {@link StackError} (`start-failed`) when the file is missing or not executable.
 *
 * @example
 * ```ts
 * const browser = await chromium.launch({ executablePath: chromiumExecutablePath(), args: [...CHROMIUM_ARGS] });
 * ```
 */
export function chromiumExecutablePath(environment: NodeJS.ProcessEnv = process.env): string {
  const explicit = environment.MXRTC_CHROMIUM;
  const path = explicit !== undefined && explicit !== "" ? explicit : DEFAULT_CHROMIUM_PATH;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new StackError(
      "start-failed",
      `no Chromium at ${path}: run \`pnpm stack install\` (apt package chromium) or set MXRTC_CHROMIUM`,
    );
  }
  return path;
}

/** Options of {@link launchChromium}: Playwright's launch options minus the executable. */
export interface LaunchChromiumOptions extends Omit<LaunchOptions, "executablePath"> {
  /** Extra flags after {@link CHROMIUM_ARGS} (default none). */
  readonly extraArgs?: readonly string[];
}

/**
 * Launches the system Chromium headless through playwright-core with {@link CHROMIUM_ARGS}.
 *
 * @remarks Playwright gives each launch a fresh temp profile (user data dir) and deletes it on
 * `close()`. Fake media devices are on, so `getUserMedia` gives a test pattern and a beep
 * without a prompt; it needs a secure context, so serve the page from `http://127.0.0.1:PORT`
 * (a `data:` URL has no `navigator.mediaDevices`). Assert media on `getStats()` or `videoWidth`, not on pixels (blank with
 * `--disable-gpu`). `playwright-core` is a devDependency of this package; import it the same way
 * from a test that needs the Playwright types.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await page.goto("data:text/html,<title>call</title>");
 * await browser.close();
 * ```
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<Browser> {
  const { extraArgs, ...launchOptions } = options;
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    headless: true,
    ...launchOptions,
    executablePath: chromiumExecutablePath(),
    args: [...CHROMIUM_ARGS, ...(extraArgs ?? []), ...(launchOptions.args ?? [])],
  });
}
