import { describe, expect, it } from "vitest";
import { DEFAULT_SLOT_ID } from "./constants.js";
import { legacyFieldsFromSlotId, parseSlotId, slotIdFromLegacy } from "./slot-id.js";

describe("parseSlotId", () => {
  it("splits application and id", () => {
    expect(parseSlotId(DEFAULT_SLOT_ID)).toEqual({
      ok: true,
      value: { application: "m.call", id: "ROOM" },
    });
    expect(parseSlotId("com.example.app#abc-123")).toEqual({
      ok: true,
      value: { application: "com.example.app", id: "abc-123" },
    });
  });

  it.each([
    ["m.call", 'expected exactly one "#", found 0'],
    ["a#b#c", 'expected exactly one "#", found 2'],
    ["#ROOM", "the application part before '#' is empty"],
    ["m.call#", "the id part after '#' is empty"],
    ["", 'expected exactly one "#", found 0'],
  ])("rejects %j", (slotId, message) => {
    expect(parseSlotId(slotId)).toEqual({ ok: false, error: { path: "slot_id", message } });
  });

  it("rejects non-strings and over-long ids without throwing", () => {
    expect(parseSlotId(5 as unknown as string).ok).toBe(false);
    expect(parseSlotId(`a#${"x".repeat(3000)}`).ok).toBe(false);
  });
});

describe("legacy slot fields", () => {
  it("maps m.call#ROOM to call_id '' and back", () => {
    expect(legacyFieldsFromSlotId(DEFAULT_SLOT_ID)).toEqual({ application: "m.call", callId: "" });
    expect(slotIdFromLegacy("m.call", "")).toBe(DEFAULT_SLOT_ID);
  });

  it("appends other call ids", () => {
    expect(legacyFieldsFromSlotId("m.call#standup")).toEqual({
      application: "m.call",
      callId: "standup",
    });
    expect(slotIdFromLegacy("m.call", "standup")).toBe("m.call#standup");
    expect(legacyFieldsFromSlotId("com.example#ROOM")).toEqual({
      application: "com.example",
      callId: "ROOM",
    });
  });

  it("reads an empty call_id as ROOM for other applications too, so the slot id stays valid", () => {
    expect(slotIdFromLegacy("com.example", "")).toBe("com.example#ROOM");
  });

  it("never throws on a string without '#'", () => {
    expect(legacyFieldsFromSlotId("m.call")).toEqual({ application: "m.call", callId: "" });
  });
});
