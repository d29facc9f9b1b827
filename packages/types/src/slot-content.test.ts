import { describe, expect, it } from "vitest";
import { slotOpenLatest, slotOpenStickyV1 } from "./__fixtures__/membership-contents.js";
import { parseSlotContent } from "./slot-content.js";

describe("parseSlotContent", () => {
  it("reads the latest draft's open slot with encryption", () => {
    expect(parseSlotContent(slotOpenLatest, "m.call#ROOM")).toEqual({
      ok: true,
      value: slotOpenLatest,
    });
  });

  it("reads a closed slot, with or without application", () => {
    expect(parseSlotContent({ status: "closed" }, "m.call#ROOM")).toEqual({
      ok: true,
      value: { status: "closed" },
    });
    expect(
      parseSlotContent({ status: "closed", application: { type: "m.call" } }, "m.call#ROOM"),
    ).toMatchObject({
      ok: true,
      value: { status: "closed" },
    });
  });

  it("reads the sticky-v1 form: application means open, {} means closed", () => {
    expect(parseSlotContent(slotOpenStickyV1, "m.call#ROOM")).toEqual({
      ok: true,
      value: { status: "open", application: slotOpenStickyV1.application },
    });
    expect(parseSlotContent({}, "m.call#ROOM")).toEqual({ ok: true, value: { status: "closed" } });
  });

  it.each([
    ["open without application", { status: "open" }, "m.call#ROOM", "content.application"],
    [
      "application type not matching the state key",
      { status: "open", application: { type: "m.other" } },
      "m.call#ROOM",
      "content.application.type",
    ],
    [
      "unknown status",
      { status: "paused", application: { type: "m.call" } },
      "m.call#ROOM",
      "content.status",
    ],
    [
      "encryption without type",
      { ...slotOpenLatest, encryption: {} },
      "m.call#ROOM",
      "content.encryption.type",
    ],
    ["a bad state key", slotOpenLatest, "m.call", "state_key"],
    ["sticky-v1 content without application", { foo: 1 }, "m.call#ROOM", "content.application"],
    ["content not an object", "open", "m.call#ROOM", "content"],
  ])("rejects %s", (_name, content, stateKey, path) => {
    const result = parseSlotContent(content, stateKey);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.path).toBe(path);
  });
});
