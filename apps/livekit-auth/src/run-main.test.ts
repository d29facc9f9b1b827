import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "./run-main.js";

describe("runMain", () => {
  it("prints one clear line and exits 2 on a configuration error", async () => {
    const lines: string[] = [];
    const result = await runMain({ LIVEKIT_URL: "wss://sfu.example.com" }, (line) =>
      lines.push(line),
    );
    expect(result.exitCode).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(/^mxrtc-livekit-auth: LIVEKIT_KEY and LIVEKIT_SECRET are required/),
    ]);
  });

  it("starts on LIVEKIT_JWT_BIND and answers /healthz", async () => {
    const lines: string[] = [];
    const result = await runMain(
      {
        LIVEKIT_URL: "ws://127.0.0.1:1",
        LIVEKIT_KEY: "devkey",
        LIVEKIT_SECRET: "a-secret-of-at-least-32-characters-long",
        LIVEKIT_FULL_ACCESS_HOMESERVERS: "*",
        LIVEKIT_JWT_BIND: "127.0.0.1:0",
        LIVEKIT_LOG_LEVEL: "error",
        LIVEKIT_DELEGATION_DB: join(
          mkdtempSync(join(tmpdir(), "livekit-auth-main-")),
          "jobs.sqlite",
        ),
      },
      (line) => lines.push(line),
    );
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual([]);
    await result.service?.close();
  });

  it("exits 1 with one line when the store cannot be opened", async () => {
    const lines: string[] = [];
    const result = await runMain(
      {
        LIVEKIT_URL: "ws://127.0.0.1:1",
        LIVEKIT_KEY: "k",
        LIVEKIT_SECRET: "s",
        LIVEKIT_FULL_ACCESS_HOMESERVERS: "*",
        LIVEKIT_JWT_BIND: "127.0.0.1:0",
        LIVEKIT_DELEGATION_DB: "/dev/null/jobs.sqlite",
      },
      (line) => lines.push(line),
    );
    expect(result.exitCode).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^mxrtc-livekit-auth: cannot start: cannot open delegation database/),
    ]);
  });
});
