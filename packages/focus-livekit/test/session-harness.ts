/**
 * Harness of the composed proof and its benchmark: each participant is a whole `@mxrtc/session`
 * in its own Chromium process (so one can be SIGKILLed), and the token service's log is recorded
 * with timestamps (when LiveKit's webhook said a participant left, when the leave was sent).
 */
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import type { Logger } from "@mxrtc/livekit-auth";
import { launchChromium, matrixRequest, restrictWebRtcToLoopback } from "@mxrtc/stack";
import type { Browser, Page } from "playwright-core";
import type { SessionPageConfig, SessionPageStatus } from "./page/session-page-entry.js";
import type { ProofStack } from "./proof-stack.js";

/** One token-service log line, as recorded. */
export interface ServiceLogEntry {
  readonly ts: number;
  readonly level: string;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A token-service logger that keeps every line (all levels) with its `Date.now()`. */
export function createRecordingLogger(): Logger & { readonly entries: ServiceLogEntry[] } {
  const entries: ServiceLogEntry[] = [];
  const record =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      entries.push({ ts: Date.now(), level, message, fields });
      if (process.env.MXRTC_PROOF_DEBUG) {
        process.stderr.write(`[livekit-auth ${level}] ${message} ${JSON.stringify(fields)}\n`);
      }
    };
  return {
    entries,
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
}

/** When LiveKit's webhook first told the service that `identity` left (or its connection aborted). */
export function sfuNoticedTs(
  entries: readonly ServiceLogEntry[],
  identity: string,
  sinceTs: number,
): number | undefined {
  return entries.find(
    (entry) =>
      entry.ts >= sinceTs &&
      entry.message === "webhook" &&
      entry.fields.identity === identity &&
      (entry.fields.event === "participant_left" ||
        entry.fields.event === "participant_connection_aborted"),
  )?.ts;
}

/** Polls `check` every 25 ms until it holds. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A participant: one Chromium process, one page running one session. */
export interface SessionParticipant {
  readonly browser: Browser;
  readonly page: Page;
  /** Pid of the Chromium browser process. */
  readonly pid: number;
  join(config: SessionPageConfig): Promise<void>;
  status(): Promise<SessionPageStatus>;
  /** SIGKILL the browser process: no leave, no close, no goodbye on any socket. */
  kill(): void;
  close(): Promise<void>;
}

/** Finds the browser process (not a `--type=` child) whose command line holds `marker`. */
async function findBrowserPid(marker: string): Promise<number> {
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const commandLine = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    const args = commandLine.split("\0");
    if (args.includes(marker) && !args.some((arg) => arg.startsWith("--type="))) {
      return Number(name);
    }
  }
  throw new Error(`no Chromium process with ${marker}`);
}

/** Launches a separate Chromium process and opens the session page in it. */
export async function openSessionParticipant(
  stack: ProofStack,
  log: (line: string) => void,
): Promise<SessionParticipant> {
  const marker = `--mxrtc-proof-participant=${randomUUID()}`;
  const browser = await launchChromium({ extraArgs: [marker] });
  const pid = await findBrowserPid(marker);
  const context = await browser.newContext();
  await restrictWebRtcToLoopback(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => log(`page error (pid ${pid}): ${error.message}`));
  await page.goto(stack.pageUrl);
  await page.waitForFunction(() => "mxrtcSessionProof" in globalThis);
  let killed = false;
  return {
    browser,
    page,
    pid,
    join: (config) =>
      page.evaluate(
        (input) =>
          (
            globalThis as unknown as {
              mxrtcSessionProof: { join(c: SessionPageConfig): Promise<void> };
            }
          ).mxrtcSessionProof.join(input),
        config,
      ),
    status: () =>
      page.evaluate(() =>
        (
          globalThis as unknown as {
            mxrtcSessionProof: { status(): Promise<SessionPageStatus> };
          }
        ).mxrtcSessionProof.status(),
      ),
    kill() {
      killed = true;
      process.kill(pid, "SIGKILL");
    },
    async close() {
      if (killed) return;
      await browser.close().catch(() => undefined);
    },
  };
}

/** Logs `user` in again: a fresh device (and access token) of the same account. */
export async function newDevice(
  stack: ProofStack,
  user: { readonly userId: string; readonly password: string },
): Promise<{ userId: string; accessToken: string; deviceId: string }> {
  const reply = await matrixRequest<{ access_token: string; device_id: string }>(
    stack.synapse.baseUrl,
    "POST",
    "/_matrix/client/v3/login",
    {
      body: {
        type: "m.login.password",
        identifier: { type: "m.id.user", user: user.userId },
        password: user.password,
      },
    },
  );
  return { userId: user.userId, accessToken: reply.access_token, deviceId: reply.device_id };
}

/** The page config of `device` in `roomId`, with the proof's long own delay. */
export function sessionConfig(
  stack: ProofStack,
  device: { userId: string; accessToken: string; deviceId: string },
  roomId: string,
  delayMs: number,
): SessionPageConfig {
  return {
    homeserverBaseUrl: stack.synapse.baseUrl,
    accessToken: device.accessToken,
    userId: device.userId,
    deviceId: device.deviceId,
    roomId,
    serviceUrl: stack.serviceUrl,
    delayMs,
  };
}
