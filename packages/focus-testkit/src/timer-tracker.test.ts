import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { installTimerTracker, type TimerTracker } from "./timer-tracker.js";

let tracker: TimerTracker | undefined;
afterEach(() => tracker?.restore());

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe("installTimerTracker", () => {
  it("counts a timeout until it fires", async () => {
    tracker = installTimerTracker();
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 1);
    expect(tracker.pendingCount).toBe(1);
    expect(tracker.pending()[0]).toMatchObject({ kind: "timeout", delayMs: 1 });
    expect(tracker.pending()[0]?.createdAt).toContain("timer-tracker.test.ts");
    await new Promise<void>((resolve) => setImmediate(resolve));
    await wait(5);
    expect(fired).toBe(true);
    expect(tracker.pendingCount).toBe(0);
  });

  it("counts intervals until cleared, by handle or by numeric id", () => {
    tracker = installTimerTracker();
    const first = setInterval(() => {}, 1000);
    const second = setInterval(() => {}, 1000);
    const third = setTimeout(() => {}, 1000);
    expect(tracker.pendingCount).toBe(3);
    clearInterval(first);
    clearInterval(Number(second));
    clearTimeout(third);
    expect(tracker.pendingCount).toBe(0);
  });

  it("passes extra arguments through and restores the originals once", () => {
    const originalSetTimeout = globalThis.setTimeout;
    tracker = installTimerTracker();
    expect(globalThis.setTimeout).not.toBe(originalSetTimeout);
    const handle = setTimeout((value: string) => value, 10, "x");
    clearTimeout(handle);
    tracker.restore();
    tracker.restore();
    expect(globalThis.setTimeout).toBe(originalSetTimeout);
    const untracked = setTimeout(() => {}, 1000);
    expect(tracker.pendingCount).toBe(0);
    clearTimeout(untracked);
  });

  it("skips timers a caller chooses to ignore", () => {
    tracker = installTimerTracker({ ignore: (timer) => timer.delayMs === 12_345 });
    const ignored = setTimeout(() => {}, 12_345);
    const counted = setTimeout(() => {}, 1000);
    expect(tracker.pendingCount).toBe(1);
    clearTimeout(ignored);
    clearTimeout(counted);
    expect(tracker.pendingCount).toBe(0);
  });

  it("does not count the runtime's own timers (Node's fetch keep-alive)", async () => {
    const server = createServer((_request, response) => response.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    tracker = installTimerTracker();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(await response.text()).toBe("ok");
      expect(tracker.pending()).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
