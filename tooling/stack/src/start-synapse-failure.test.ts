import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StackError } from "./stack-error.js";
import { startSynapse } from "./start-synapse.js";
import { OWNER_FILE } from "./sweep-stale-data-dirs.js";

describe("startSynapse failures", () => {
  it("throws start-failed with Synapse's log tail when the port is taken, leaving nothing behind", async () => {
    // Holds the port; the health probe's connections to it hang, so they are destroyed on close.
    const blocker = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    const address = blocker.address();
    if (typeof address !== "object" || address === null) throw new Error("no address");
    const before = (await readdir(tmpdir())).filter((name) => name.startsWith("mxrtc-synapse-"));
    try {
      const error: unknown = await startSynapse({ port: address.port }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(StackError.isInstance(error)).toBe(true);
      const stackError = error as StackError;
      expect(stackError.code).toBe("start-failed");
      expect(stackError.message).toContain("exited");
      expect(stackError.message).toMatch(/Address already in use|CannotListenError/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const after = (await readdir(tmpdir())).filter((name) => name.startsWith("mxrtc-synapse-"));
    // Other test processes on the machine create data dirs meanwhile: count only this process's.
    const ours: string[] = [];
    for (const name of after.filter((entry) => !before.includes(entry))) {
      const owner = await readFile(join(tmpdir(), name, OWNER_FILE), "utf8").catch(() => "");
      if (owner.trim() === String(process.pid)) ours.push(name);
    }
    expect(ours).toEqual([]);
  });
});
