import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

/** The `mxrtc-livekit-auth` binary run from source (tsx) as a child process. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Its standard error so far (for failure messages). */
  output(): string;
  /** SIGKILL, like a crash; resolves when it exited. */
  kill(): Promise<void>;
}

const packageDir = resolve(import.meta.dirname, "..");

/** Starts `src/main.ts` with the given environment on `127.0.0.1:port` and waits for `/healthz`. */
export async function spawnServiceProcess(
  port: number,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  // node itself with tsx as a loader (not the tsx CLI, which runs the script in a grandchild a
  // SIGKILL would not reach).
  const child = spawn(
    process.execPath,
    ["--conditions=@mxrtc/source", "--import", "tsx", "src/main.ts"],
    {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/tmp",
        ...env,
        LIVEKIT_JWT_BIND: `127.0.0.1:${port}`,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`service exited with ${child.exitCode}: ${stderr}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`service did not become healthy: ${stderr}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return {
    url,
    child,
    output: () => stderr,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
