import { describe, expect, it } from "vitest";
import { createHarness, ROOM_ID, STATE_LEAVE } from "../test/harness.js";
import { createMemoryDelayIdStorage, delayIdStorageKey } from "./delay-id-storage.js";

describe("stored delay id", () => {
  it("cancels the previous instance's delayed leave before arming", async () => {
    const storage = createMemoryDelayIdStorage();
    storage.set(delayIdStorageKey(STATE_LEAVE), "old-delay");
    const harness = createHarness({ storage });
    harness.server.seed("old-delay", 8000);
    await harness.joined();
    expect(harness.requests()).toEqual([
      "cancel:old-delay",
      "scheduleStateEvent",
      "membership",
      "restart:delay-1",
    ]);
    expect(harness.server.status("old-delay")).toBe("cancelled");
    expect(storage.get(delayIdStorageKey(STATE_LEAVE))).toBe("delay-1");
  });

  it("accepts 404 for a stored id that already fired", async () => {
    const storage = createMemoryDelayIdStorage();
    storage.set(delayIdStorageKey(STATE_LEAVE), "gone");
    const harness = createHarness({ storage });
    await harness.joined();
    expect(harness.requests().slice(0, 2)).toEqual(["cancel:gone", "scheduleStateEvent"]);
    expect(harness.payloads("error")).toEqual([]);
  });

  it("carries on when the storage throws", async () => {
    const harness = createHarness({
      storage: {
        get: () => {
          throw new Error("quota");
        },
        set: async () => {
          throw new Error("quota");
        },
      },
    });
    await harness.joined();
    expect(harness.scheduler.state).toBe("joined");
    expect(harness.payloads("error").map((event) => event.error.code)).toContain("storage-failed");
  });

  it("builds keys from room, type and state or sticky key", () => {
    expect(delayIdStorageKey(STATE_LEAVE)).toBe(
      `${ROOM_ID}|org.matrix.msc3401.call.member|_@alice:example.org_DEVICE_m.call`,
    );
    expect(
      delayIdStorageKey({
        kind: "sticky",
        roomId: "!r",
        eventType: "t",
        content: { sticky_key: "s" },
        stickyDurationMs: 1,
      }),
    ).toBe("!r|t|s");
  });
});
