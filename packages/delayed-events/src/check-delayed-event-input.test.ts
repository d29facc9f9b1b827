import { describe, expect, it } from "vitest";
import { createFakeMatrixPort } from "./__fixtures__/fake-matrix-port.js";
import { createDelayedEventTransport } from "./create-delayed-event-transport.js";
import { DelayedEventInputError } from "./delayed-event-error.js";

const ROOM = "!room:example.org";

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("input checks", () => {
  const fake = createFakeMatrixPort({});
  const transport = createDelayedEventTransport({ matrix: fake.port });
  const base = { roomId: ROOM, eventType: "m.t", stateKey: "", content: {}, delayMs: 1000 };

  it.each([
    ["zero delay", { ...base, delayMs: 0 }],
    ["negative delay", { ...base, delayMs: -5 }],
    ["fractional delay", { ...base, delayMs: 1.5 }],
    ["NaN delay", { ...base, delayMs: Number.NaN }],
    ["empty room", { ...base, roomId: "" }],
    ["empty type", { ...base, eventType: "" }],
    ["array content", { ...base, content: [] as unknown as Record<string, unknown> }],
    ["null content", { ...base, content: null as unknown as Record<string, unknown> }],
  ])("%s → DelayedEventInputError before any request", async (_name, input) => {
    const error = await rejection(transport.scheduleStateEvent(input));
    expect(DelayedEventInputError.isInstance(error)).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });

  it("rejects a bad sticky duration and an empty delay id", async () => {
    const sticky = await rejection(
      transport.scheduleMessageEvent({ ...base, stickyDurationMs: -1 }),
    );
    expect(DelayedEventInputError.isInstance(sticky)).toBe(true);
    expect(DelayedEventInputError.isInstance(await rejection(transport.cancel("")))).toBe(true);
    expect(fake.requests).toHaveLength(0);
  });
});
