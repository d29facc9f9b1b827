import { describe, expect, it } from "vitest";
import {
  isFullMeshTransport,
  isLivekitTransport,
  isMediasoupTransport,
  parseTransport,
  type RtcTransport,
  transportsEqual,
} from "./transport.js";

function parsed(value: unknown): RtcTransport {
  const result = parseTransport(value);
  if (!result.ok) throw new Error(`${result.error.path}: ${result.error.message}`);
  return result.value;
}

describe("parseTransport", () => {
  it("reads a legacy LiveKit focus with its alias", () => {
    const transport = parsed({
      type: "livekit",
      livekit_service_url: "https://rtc.example.org",
      livekit_alias: "!r:hs",
    });
    expect(isLivekitTransport(transport)).toBe(true);
    expect(isFullMeshTransport(transport)).toBe(false);
  });

  it("accepts the MSC4195 head's bare {type: livekit}, which is not a connectable LivekitTransport", () => {
    const transport = parsed({ type: "livekit" });
    expect(transport).toEqual({ type: "livekit" });
    expect(isLivekitTransport(transport)).toBe(false);
  });

  it("reads full_mesh and our mediasoup transport", () => {
    expect(isFullMeshTransport(parsed({ type: "full_mesh" }))).toBe(true);
    const sfu = parsed({ type: "io.mxrtc.mediasoup", signalling_url: "wss://sfu.example.org/ws" });
    expect(isMediasoupTransport(sfu)).toBe(true);
    expect(
      isMediasoupTransport(
        parsed({ type: "io.mxrtc.mediasoup", signalling_url: "ws://127.0.0.1:4443" }),
      ),
    ).toBe(true);
  });

  it("keeps unknown types verbatim as a deep-frozen copy", () => {
    const original = {
      type: "com.example.sfu",
      endpoints: [{ url: "https://x", weight: 2 }],
      nested: { on: true, none: null },
    };
    const transport = parsed(original);
    expect(transport).toEqual(original);
    expect(transport).not.toBe(original);
    expect(Object.isFrozen(transport)).toBe(true);
    expect(Object.isFrozen(transport.endpoints)).toBe(true);
    expect(Object.isFrozen((transport.endpoints as object[])[0])).toBe(true);
    original.endpoints[0] = { url: "changed", weight: 0 };
    expect((transport.endpoints as { url: string }[])[0]?.url).toBe("https://x");
  });

  it("keeps a __proto__ key as plain data without touching prototypes", () => {
    const transport = parsed(JSON.parse('{"type":"x.y","__proto__":{"polluted":true}}'));
    expect(Object.getPrototypeOf(transport)).toBe(Object.prototype);
    expect(Object.hasOwn(transport, "__proto__")).toBe(true);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect((transport as { polluted?: boolean }).polluted).toBeUndefined();
  });

  const errors: [string, unknown, string][] = [
    ["null", null, "transport"],
    ["a string", "livekit", "transport"],
    ["no type", {}, "transport.type"],
    ["empty type", { type: "" }, "transport.type"],
    [
      "livekit URL not a string",
      { type: "livekit", livekit_service_url: 1 },
      "transport.livekit_service_url",
    ],
    [
      "livekit alias not a string",
      { type: "livekit", livekit_service_url: "u", livekit_alias: [] },
      "transport.livekit_alias",
    ],
    ["mediasoup without URL", { type: "io.mxrtc.mediasoup" }, "transport.signalling_url"],
    [
      "mediasoup with an https URL",
      { type: "io.mxrtc.mediasoup", signalling_url: "https://x" },
      "transport.signalling_url",
    ],
    ["a NaN inside", { type: "x", n: Number.NaN }, "transport.n"],
    ["a function inside", { type: "x", f: () => 1 }, "transport.f"],
    ["a huge array inside", { type: "x", list: new Array(100_000).fill(0) }, "transport.list"],
  ];
  it.each(errors)("rejects %s with a path", (_name, value, path) => {
    const result = parseTransport(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.path).toBe(path);
  });

  it("rejects deep nesting and cycles instead of recursing forever", () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 20; level++) deep = { inner: deep };
    expect(parseTransport({ type: "x", deep }).ok).toBe(false);
    const cyclic: Record<string, unknown> = { type: "x" };
    cyclic.self = cyclic;
    const result = parseTransport(cyclic);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/nested deeper/);
  });

  it("uses the given path prefix", () => {
    const result = parseTransport({}, "content.foci_preferred[3]");
    expect(!result.ok && result.error.path).toBe("content.foci_preferred[3].type");
  });
});

describe("transportsEqual", () => {
  it("compares structurally, ignoring key order", () => {
    expect(
      transportsEqual(
        { type: "livekit", livekit_service_url: "u", livekit_alias: "a" },
        { livekit_alias: "a", livekit_service_url: "u", type: "livekit" },
      ),
    ).toBe(true);
    expect(
      transportsEqual({ type: "x", list: [1, { a: 2 }] }, { type: "x", list: [1, { a: 2 }] }),
    ).toBe(true);
  });

  it("tells different transports apart", () => {
    expect(
      transportsEqual(
        { type: "livekit", livekit_service_url: "a" },
        { type: "livekit", livekit_service_url: "b" },
      ),
    ).toBe(false);
    expect(transportsEqual({ type: "x", list: [1] }, { type: "x", list: [1, 2] })).toBe(false);
    expect(transportsEqual({ type: "x", a: undefined }, { type: "x", b: undefined })).toBe(false);
    expect(transportsEqual({ type: "x", a: [] }, { type: "x", a: {} })).toBe(false);
    expect(transportsEqual({ type: "x", a: null }, { type: "x", a: {} })).toBe(false);
  });

  it("terminates on cyclic input", () => {
    const a: Record<string, unknown> = { type: "x" };
    a.self = a;
    const b: Record<string, unknown> = { type: "x" };
    b.self = b;
    expect(transportsEqual(a as RtcTransport, b as RtcTransport)).toBe(false);
  });
});
