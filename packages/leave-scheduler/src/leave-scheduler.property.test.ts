import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { errors, type Reply } from "../test/fake-delayed-events.js";
import { createHarness } from "../test/harness.js";
import { isAllowedTransition } from "./leave-scheduler-state.js";

type ServerReply =
  | "ok"
  | "not-found"
  | "conflict"
  | "server"
  | "network"
  | "forbidden"
  | "hang"
  | "unsupported"
  | { readonly rateLimitedMs: number }
  | { readonly tooLongMaxMs: number | null };

const serverReply: fc.Arbitrary<ServerReply> = fc.oneof(
  { weight: 12, arbitrary: fc.constant("ok" as const) },
  { weight: 2, arbitrary: fc.constantFrom("not-found" as const, "conflict" as const) },
  { weight: 3, arbitrary: fc.constantFrom("server" as const, "network" as const, "hang" as const) },
  { weight: 1, arbitrary: fc.constantFrom("forbidden" as const, "unsupported" as const) },
  { weight: 2, arbitrary: fc.record({ rateLimitedMs: fc.integer({ min: 0, max: 15_000 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ tooLongMaxMs: fc.option(fc.integer({ min: 0, max: 12_000 })) }),
  },
);

function toReply(reply: ServerReply): Reply {
  if (reply === "ok" || reply === "hang") return reply;
  if (reply === "not-found") return errors.notFound();
  if (reply === "conflict") return errors.conflict();
  if (reply === "server") return errors.server(502);
  if (reply === "network") return errors.network();
  if (reply === "forbidden") return errors.forbidden();
  if (reply === "unsupported") return errors.unsupported();
  if ("rateLimitedMs" in reply) return errors.rateLimited(reply.rateLimitedMs);
  return errors.tooLong(reply.tooLongMaxMs ?? undefined);
}

type Step =
  | { readonly kind: "advance"; readonly ms: number }
  | { readonly kind: "sleep"; readonly ms: number }
  | { readonly kind: "join" | "update" | "missing" | "disconnect" | "leave" | "fire-early" };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      ms: fc.integer({ min: 0, max: 20_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("sleep" as const),
      ms: fc.integer({ min: 1_000, max: 120_000 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "join" as const,
        "update" as const,
        "missing" as const,
        "disconnect" as const,
        "leave" as const,
        "fire-early" as const,
      ),
    }),
  },
);

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => {
  process.off("unhandledRejection", onUnhandled);
});

describe("property: random server replies", () => {
  it("only sends a membership behind a live delayed leave, and close() leaves nothing running", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(serverReply, { maxLength: 40 }),
        fc.array(
          fc.constantFrom<ServerReply>("ok", "ok", "server", "hang", { rateLimitedMs: 1000 }),
          { maxLength: 10 },
        ),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.constantFrom<"always" | "never">("always", "never"),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        async (replies, membershipReplies, steps, rejoin, jitter) => {
          const harness = createHarness({
            rejoin,
            random: () => jitter,
            maximumTransientRetries: 4,
            maximumRateLimitRetries: 4,
          });
          const queued = replies.map(toReply);
          harness.server.otherwise(() => queued.shift() ?? "ok");
          harness.scriptMembership(...membershipReplies.map(toReply));
          const settled: Promise<unknown>[] = [];
          const keep = (promise: Promise<unknown>) => settled.push(promise.catch(() => undefined));

          keep(harness.scheduler.join(harness.sendMembership));
          for (const current of steps) {
            if (current.kind === "advance") await harness.clock.advance(current.ms);
            else if (current.kind === "sleep") await harness.clock.jump(current.ms);
            else if (current.kind === "join") keep(harness.scheduler.join(harness.sendMembership));
            else if (current.kind === "update")
              keep(harness.scheduler.update(harness.sendMembership));
            else if (current.kind === "missing") harness.scheduler.membershipMissing();
            else if (current.kind === "disconnect")
              harness.scheduler.leavePort.reportDisconnect({ reason: "media-connection-lost" });
            else if (current.kind === "leave") keep(harness.scheduler.leave());
            else harness.server.fireNow(harness.scheduler.delayId);
          }
          const closing = harness.scheduler
            .close(rejoin === "always" ? {} : { leave: false })
            .then(() => harness.server.liveIds());
          await harness.clock.advance(60_000);
          const liveAtClose = await closing;
          await Promise.all(settled);
          await harness.clock.advance(60_000);

          for (const write of harness.membershipWrites) {
            expect(
              write.successDeadlineTs,
              `membership at ${write.ts} without a schedule/restart`,
            ).toBeDefined();
            expect(write.ts).toBeLessThan(write.successDeadlineTs ?? Number.NEGATIVE_INFINITY);
          }
          for (const [from, to] of harness.transitions) {
            expect(isAllowedTransition(from, to), `${from} → ${to}`).toBe(true);
          }
          expect(harness.scheduler.state).toBe("closed");
          if (rejoin === "always") {
            // close() left: no delayed leave of ours may remain scheduled, unless a failure said so.
            const reported = harness
              .payloads("error")
              .some(
                (event) =>
                  event.error.code === "leave-failed" || event.error.code === "request-failed",
              );
            if (!reported) expect(liveAtClose).toEqual([]);
          }
          expect(harness.clock.pendingTimers()).toBe(0);
          const requestsAfterClose = harness.requests().length;
          await harness.clock.advance(60_000);
          expect(harness.requests().length).toBe(requestsAfterClose);
          expect(unhandled).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});
