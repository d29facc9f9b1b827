import { readdir } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { StackError } from "./stack-error.js";
import { startSynapse } from "./start-synapse.js";

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
    expect(after.filter((name) => !before.includes(name))).toEqual([]);
  });
});
