import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { runLiveDemo } from "./live-demo.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

it("the README's demo runs: a crashed member leaves via its delayed leave, a hang-up at once", async () => {
  const lines: string[] = [];
  const result = await runLiveDemo({ root, print: (line) => lines.push(line) });
  const transcript = lines.join("\n");
  // The leave scheduler's default delay is 8 s; the issue allows delay + 2 s from kill to gone.
  expect(result.crashToGoneMs, transcript).toBeLessThanOrEqual(10_000);
  expect(result.hangUpToGoneMs, transcript).toBeLessThanOrEqual(3_000);
  expect(result.call?.people, transcript).toBe(2);
  // Alice and Bob join concurrently, so either may be listed first.
  expect(transcript).toMatch(/the room says the call has: (alice, bob|bob, alice)\n/);
  expect(transcript).toContain("the room says the call has: nobody");
});
