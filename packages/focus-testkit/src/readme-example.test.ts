import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeFocusPluginConformance } from "./index.js";
import { createHealthCheckFocusPlugin } from "./test-support/health-check-focus.js";

// packages/focus/README.md shows test-support/health-check-focus.ts ("A complete minimal plugin")
// and the conformance test below ("Test it with @mxrtc/focus-testkit"), both verbatim; the last
// test keeps them in step.

describeFocusPluginConformance({
  name: "health-check focus",
  createHarness() {
    let up = true;
    return {
      async fetch(url: string, init: { signal: AbortSignal }) {
        if (init.signal.aborted) throw init.signal.reason;
        if (!up || url.includes("unreachable")) throw new TypeError("fetch failed");
        return { ok: true };
      },
      transport: () => ({ type: "com.example.health-check", health_url: "http://sfu.test/health" }),
      breakConnection: () => {
        up = false;
      },
      unreachableTransport: () => ({
        type: "com.example.health-check",
        health_url: "http://unreachable.test/health",
      }),
    };
  },
  createPlugin: (harness) => createHealthCheckFocusPlugin({ intervalMs: 5, fetch: harness.fetch }),
  supports: { breakConnection: true, unreachableTransport: true },
});

describe("packages/focus/README.md", () => {
  const readme = readFileSync(new URL("../../focus/README.md", import.meta.url), "utf8");
  const testSource = readFileSync(new URL(import.meta.url), "utf8");
  const pluginSource = readFileSync(
    new URL("./test-support/health-check-focus.ts", import.meta.url),
    "utf8",
  );

  it("shows the health-check plugin and its conformance test verbatim", () => {
    expect(readme).toContain(pluginSource.trim());
    const conformanceBlock = testSource.slice(
      testSource.indexOf("describeFocusPluginConformance({"),
      testSource.indexOf("\n});\n") + 4,
    );
    expect(conformanceBlock).toContain('name: "health-check focus"');
    expect(readme).toContain(conformanceBlock);
  });
});
