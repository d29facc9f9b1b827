/**
 * A call member in its own process, for the crash proof and benchmark: joins the call (legacy
 * membership, delayed leave armed by the leave scheduler), then heartbeats until it is killed.
 *
 * Run: `node --import tsx --conditions=@mxrtc/source src/member-process.ts '<json config>'`.
 * Writes one JSON object per stdout line: `{"type":"joined","ts":…}`, then one line per scheduler
 * event (`{"type":"event","name":"delayed-leave-restarted","ts":…}`); `{"type":"failed",…}` on error.
 */
import { createCallMember } from "./call-member.js";

/** The JSON config given as the first argument. */
export interface MemberProcessConfig {
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly roomId: string;
  readonly delayMs?: number;
}

function emit(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "{}") as MemberProcessConfig;
  const member = createCallMember({
    ...config,
    onEvent: (record) => emit({ type: "event", ...record }),
  });
  await member.join();
  emit({
    type: "joined",
    ts: Date.now(),
    stateKey: member.stateKey,
    delayId: member.scheduler.delayId,
    pid: process.pid,
  });
  // Never outlive the test run: if the parent dies, die too (the delayed leave cleans up).
  const parentPid = process.ppid;
  setInterval(() => {
    if (process.ppid !== parentPid) process.exit(0);
  }, 1_000).unref();
  process.on("SIGTERM", () => {
    void member.close().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  emit({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
