import { describe, expect, it } from "vitest";
import { FOCUS_PLUGIN_CONFORMANCE_CHECKS } from "./conformance-checks.js";
import { describeFocusPluginConformance } from "./describe-focus-plugin-conformance.js";
import { testFocusOptions } from "./test-support/test-focus.js";

// The suite itself, registered against a well-behaved plugin that uses a timer, a to-device
// listener and an abort listener, and cleans all of them up: every check must pass.
describeFocusPluginConformance({ ...testFocusOptions(), name: "well-behaved test focus" });

describe("FOCUS_PLUGIN_CONFORMANCE_CHECKS", () => {
  it("lists ten checks with unique ids, two of them needing a harness capability", () => {
    const ids = FOCUS_PLUGIN_CONFORMANCE_CHECKS.map((check) => check.id);
    expect(new Set(ids).size).toBe(10);
    expect(
      FOCUS_PLUGIN_CONFORMANCE_CHECKS.filter((check) => check.requires === "breakConnection"),
    ).toHaveLength(2);
    expect(
      FOCUS_PLUGIN_CONFORMANCE_CHECKS.filter((check) => check.requires === "unreachableTransport"),
    ).toHaveLength(1);
    expect(Object.isFrozen(FOCUS_PLUGIN_CONFORMANCE_CHECKS)).toBe(true);
  });
});
