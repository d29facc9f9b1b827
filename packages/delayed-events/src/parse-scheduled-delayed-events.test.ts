import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matrixError } from "./__fixtures__/fake-matrix-port.js";
import { DelayedEventError } from "./delayed-event-error.js";
import { mapDelayedEventError } from "./map-delayed-event-error.js";
import { parseDelayedEventLimits } from "./parse-delayed-event-limits.js";
import {
  parseScheduledDelayedEvent,
  parseScheduledDelayedEventsPage,
} from "./parse-scheduled-delayed-events.js";

const entryArbitrary = fc.record(
  {
    delay_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    room_id: fc.oneof(fc.string(), fc.integer()),
    type: fc.oneof(fc.string(), fc.boolean()),
    state_key: fc.oneof(fc.string(), fc.integer()),
    delay: fc.oneof(fc.integer(), fc.double(), fc.string()),
    delay_ms: fc.oneof(fc.integer(), fc.double(), fc.string()),
    running_since: fc.oneof(fc.integer(), fc.string()),
    scheduled_at: fc.oneof(fc.integer(), fc.string()),
    content: fc.oneof(fc.object(), fc.array(fc.integer()), fc.constant(null)),
  },
  { requiredKeys: [] },
);

describe("parseScheduledDelayedEventsPage (property)", () => {
  it("never throws; every entry is either kept well-formed or skipped with a reason", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            delayed_events: fc.array(fc.oneof(entryArbitrary, fc.anything())),
            next_batch: fc.anything(),
          }),
          fc.record({ scheduled: fc.array(entryArbitrary) }),
          fc.anything(),
        ),
        (body) => {
          const page = parseScheduledDelayedEventsPage(body);
          if ("message" in page) return;
          const list =
            (body as { delayed_events?: unknown[]; scheduled?: unknown[] }).delayed_events ??
            (body as { scheduled?: unknown[] }).scheduled ??
            [];
          expect(page.events.length + page.skipped.length).toBe(list.length);
          for (const event of page.events) {
            expect(event.delayId.length).toBeGreaterThan(0);
            expect(event.roomId.length).toBeGreaterThan(0);
            expect(event.eventType.length).toBeGreaterThan(0);
            expect(Number.isFinite(event.delayMs) && event.delayMs >= 0).toBe(true);
            expect(typeof event.content === "object" && !Array.isArray(event.content)).toBe(true);
            if (event.stateKey !== undefined) expect(typeof event.stateKey).toBe("string");
          }
          if (page.nextBatch !== undefined) expect(typeof page.nextBatch).toBe("string");
        },
      ),
    );
  });

  it("prefers delay_ms over delay and running_since over scheduled_at when both appear", () => {
    expect(
      parseScheduledDelayedEvent({
        delay_id: "d",
        room_id: "!r",
        type: "t",
        delay: 1,
        delay_ms: 2,
        running_since: 10,
        scheduled_at: 20,
        content: {},
      }),
    ).toMatchObject({ delayMs: 2, runningSinceTs: 10, sendTs: 12 });
  });
});

describe("other parsers never throw (property)", () => {
  it("parseDelayedEventLimits returns only positive finite numbers", () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.constantFrom("stable", "unstable") as fc.Arbitrary<"stable" | "unstable">,
        (value, api) => {
          const limits = parseDelayedEventLimits(
            { "m.delayed_events": value, "org.matrix.msc4140.delayed_events": value },
            api,
          );
          for (const number of Object.values(limits)) {
            expect(Number.isFinite(number) && number > 0).toBe(true);
          }
        },
      ),
    );
  });

  it("mapDelayedEventError turns any server reply into a DelayedEventError", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 599 }),
        fc.anything(),
        fc.constantFrom("schedule", "manage", "list", "limits") as fc.Arbitrary<
          "schedule" | "manage" | "list" | "limits"
        >,
        (status, body, operation) => {
          const error = mapDelayedEventError(matrixError(status, body), { operation, delayMs: 5 });
          expect(DelayedEventError.isInstance(error)).toBe(true);
        },
      ),
    );
  });
});
