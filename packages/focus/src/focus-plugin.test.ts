import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type FocusConnectionV1,
  type FocusConnectOptionsV1,
  FocusError,
  type FocusPluginV1,
  isFocusPluginV1,
} from "./index.js";

const minimalPlugin: FocusPluginV1 = {
  specificationVersion: "v1",
  focusType: "com.example.echo",
  async connect(options: FocusConnectOptionsV1): Promise<FocusConnectionV1> {
    if (options.signal.aborted) {
      throw new FocusError("aborted", { code: "aborted", focusType: "com.example.echo" });
    }
    return {
      ready: Promise.resolve(),
      updateMembers() {},
      on: () => () => {},
      async close() {},
    };
  },
};

describe("isFocusPluginV1", () => {
  it("accepts a v1 plugin object", () => {
    expect(isFocusPluginV1(minimalPlugin)).toBe(true);
  });

  it("rejects other versions, missing fields and non-objects", () => {
    expect(isFocusPluginV1({ ...minimalPlugin, specificationVersion: "v2" })).toBe(false);
    expect(isFocusPluginV1({ ...minimalPlugin, focusType: "" })).toBe(false);
    expect(isFocusPluginV1({ ...minimalPlugin, focusType: 7 })).toBe(false);
    expect(isFocusPluginV1({ ...minimalPlugin, connect: "connect" })).toBe(false);
    expect(isFocusPluginV1({ specificationVersion: "v1", focusType: "x" })).toBe(false);
    expect(isFocusPluginV1(null)).toBe(false);
    expect(isFocusPluginV1(undefined)).toBe(false);
    expect(isFocusPluginV1("v1")).toBe(false);
  });

  it("narrows unknown to FocusPluginV1", () => {
    const candidate: unknown = minimalPlugin;
    if (!isFocusPluginV1(candidate)) throw new Error("expected a plugin");
    expectTypeOf(candidate.connect).returns.toEqualTypeOf<Promise<FocusConnectionV1>>();
    expect(candidate.focusType).toBe("com.example.echo");
  });
});

describe("FocusConnectionV1.on", () => {
  it("types each event's payload by name", () => {
    expectTypeOf<Parameters<FocusConnectionV1["on"]>[0]>().toEqualTypeOf<
      "participant-joined" | "participant-left" | "track-added" | "track-removed"
    >();
    const connection = {} as FocusConnectionV1;
    expectTypeOf(connection.on<"track-added">)
      .parameter(1)
      .parameter(0)
      .toEqualTypeOf<{
        readonly participantId: string;
        readonly kind: "audio" | "video";
        readonly trackId: string;
      }>();
    expect(isFocusPluginV1(minimalPlugin)).toBe(true);
  });
});
