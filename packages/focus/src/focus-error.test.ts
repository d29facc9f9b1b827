import { describe, expect, it } from "vitest";
import { DISCONNECT_REASONS, FocusError } from "./index.js";

describe("FocusError", () => {
  it("carries code, focusType and cause", () => {
    const cause = new Error("ice failed");
    const error = new FocusError("lost", { code: "connect-failed", focusType: "livekit", cause });
    expect(error.code).toBe("connect-failed");
    expect(error.focusType).toBe("livekit");
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("FocusError");
    expect(error.message).toBe("lost");
  });

  it("leaves focusType and cause undefined when not given", () => {
    const error = new FocusError("x", { code: "unknown" });
    expect(error.focusType).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });

  it("recognises subclasses and copies from another bundle by the Symbol.for marker", () => {
    class PluginError extends FocusError {}
    expect(FocusError.isInstance(new PluginError("x", { code: "c" }))).toBe(true);
    const foreignCopy = { [Symbol.for("@mxrtc/focus/FocusError")]: true, code: "c" };
    expect(FocusError.isInstance(foreignCopy)).toBe(true);
  });

  it("rejects look-alikes", () => {
    expect(FocusError.isInstance(new Error("x"))).toBe(false);
    expect(FocusError.isInstance({ code: "connect-failed" })).toBe(false);
    expect(FocusError.isInstance(null)).toBe(false);
    expect(FocusError.isInstance("FocusError")).toBe(false);
    expect(FocusError.isInstance({ [Symbol.for("@mxrtc/focus/FocusError")]: "yes" })).toBe(false);
  });
});

describe("DISCONNECT_REASONS", () => {
  it("lists the named reasons once each and is frozen", () => {
    expect(new Set(DISCONNECT_REASONS).size).toBe(DISCONNECT_REASONS.length);
    expect(DISCONNECT_REASONS).toContain("media-connection-lost");
    expect(DISCONNECT_REASONS).toContain("unknown");
    expect(Object.isFrozen(DISCONNECT_REASONS)).toBe(true);
  });
});
