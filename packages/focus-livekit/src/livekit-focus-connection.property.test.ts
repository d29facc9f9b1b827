import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BOB,
  CAROL,
  CAROL_IDENTITY,
  connectFixture,
  recordEvents,
} from "./test-support/connect-fixture.js";

const BOB_LEGACY_IDENTITY = `${BOB.userId}:${BOB.deviceId}`;
const identities = [CAROL_IDENTITY, BOB_LEGACY_IDENTITY, "stranger"] as const;

const operation = fc.oneof(
  fc.record({ kind: fc.constant("join" as const), identity: fc.constantFrom(...identities) }),
  fc.record({ kind: fc.constant("leave" as const), identity: fc.constantFrom(...identities) }),
  fc.record({
    kind: fc.constant("subscribe" as const),
    identity: fc.constantFrom(...identities),
    track: fc.constantFrom("TR_a", "TR_b", "TR_c"),
    media: fc.constantFrom("audio", "video", "data"),
  }),
  fc.record({
    kind: fc.constant("unsubscribe" as const),
    identity: fc.constantFrom(...identities),
    track: fc.constantFrom("TR_a", "TR_b", "TR_c"),
  }),
  fc.record({ kind: fc.constant("reconnecting" as const) }),
  fc.record({ kind: fc.constant("reconnected" as const) }),
  fc.record({
    kind: fc.constant("disconnected" as const),
    reason: fc.option(fc.integer({ min: 0, max: 16 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("members" as const), members: fc.subarray([BOB, CAROL]) }),
  fc.record({ kind: fc.constant("garbage" as const), value: fc.anything() }),
  fc.record({ kind: fc.constant("close" as const) }),
);

describe("LiveKit focus connection (property)", () => {
  it("reports at most once, only for a non-client-initiated loss before close, and pairs every join with at most one leave", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (operations) => {
        const fixture = await connectFixture({ members: [CAROL] });
        const connection = await fixture.connect();
        const events = recordEvents(connection);
        let expectReport = false;
        let open = true;
        for (const step of operations) {
          switch (step.kind) {
            case "join":
              fixture.room.join(step.identity);
              break;
            case "leave":
              fixture.room.leave(step.identity);
              break;
            case "subscribe":
              fixture.room.subscribe(step.identity, { trackSid: step.track, kind: step.media });
              break;
            case "unsubscribe":
              fixture.room.emit(
                "trackUnsubscribed",
                {},
                { trackSid: step.track, kind: "video" },
                { identity: step.identity },
              );
              break;
            case "reconnecting":
            case "reconnected":
              fixture.room.emit(step.kind);
              break;
            case "disconnected":
              if (open && connection.state === "connected" && step.reason !== 1)
                expectReport = true;
              if (connection.state === "connected" && step.reason === 1) open = false;
              fixture.room.emit("disconnected", step.reason);
              break;
            case "members":
              connection.updateMembers(step.members);
              await new Promise((resolve) => setTimeout(resolve, 0));
              break;
            case "garbage":
              connection.updateMembers(step.value as never);
              await new Promise((resolve) => setTimeout(resolve, 0));
              break;
            case "close":
              await connection.close();
              open = false;
              break;
          }
        }
        await connection.close();
        expect(fixture.leavePort.callCount).toBe(expectReport ? 1 : 0);
        const joined = new Set<string>();
        for (const event of events) {
          const [kind, , , participantId] = event.split(" ");
          if (kind === "joined") {
            expect(joined.has(participantId ?? "")).toBe(false);
            joined.add(participantId ?? "");
          } else if (kind === "left") {
            expect(joined.delete(participantId ?? "")).toBe(true);
          }
        }
        expect(fixture.room.listenerCount).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
