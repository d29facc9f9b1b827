import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as fixtures from "./__fixtures__/membership-contents.js";
import { buildLegacyMembershipContent, parseLegacyMembershipContent } from "./legacy-membership.js";
import { isAuthenticLegacyStateKey, legacyMembershipStateKey } from "./legacy-state-key.js";
import type { ParseResult } from "./parse-result.js";
import { parseRtcMemberContent } from "./rtc-member.js";
import { parseSlotContent } from "./slot-content.js";
import { legacyFieldsFromSlotId, parseSlotId, slotIdFromLegacy } from "./slot-id.js";
import { stickyExpiresTs } from "./sticky-expires-ts.js";
import {
  buildStickyLeaveContent,
  buildStickyMembershipContent,
} from "./sticky-membership-content.js";
import { parseTransport, type RtcTransport, transportsEqual } from "./transport.js";

// Keys a parser looks at, plus prototype-pollution bait, so arbitrary objects hit interesting branches.
const interestingKey = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "toString",
    "type",
    "application",
    "call_id",
    "device_id",
    "focus_active",
    "foci_preferred",
    "member",
    "membership",
    "id",
    "user_id",
    "slot_id",
    "sticky_key",
    "msc4354_sticky_key",
    "transports",
    "published",
    "can_subscribe",
    "rtc_transports",
    "status",
    "sticky",
    "msc4354_sticky",
    "duration_ms",
    "origin_server_ts",
    "unsigned",
  ),
  fc.string({ maxLength: 8 }),
);
const untrusted = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({
    key: interestingKey,
    maxDepth: 4,
    withNullPrototype: true,
    withBoxedValues: true,
    withMap: true,
  }),
);

function expectWellFormed(result: ParseResult<unknown>): void {
  if (!result.ok) {
    expect(typeof result.error.path).toBe("string");
    expect(result.error.path.length).toBeGreaterThan(0);
    expect(result.error.message.length).toBeGreaterThan(0);
  } else {
    expect(result.value).toBeDefined();
  }
}

const parsers: [string, (value: unknown) => ParseResult<unknown>][] = [
  [
    "parseLegacyMembershipContent",
    (value) => parseLegacyMembershipContent(value, { sender: "@alice:example.org" }),
  ],
  ["parseRtcMemberContent", parseRtcMemberContent],
  ["parseSlotContent", (value) => parseSlotContent(value, "m.call#ROOM")],
  ["parseTransport", (value) => parseTransport(value)],
];

describe("parsers never throw", () => {
  it.each(parsers)("%s: arbitrary values give ok or an error with a path", (_name, parse) => {
    fc.assert(
      fc.property(untrusted, (value) => expectWellFormed(parse(value))),
      { numRuns: 500 },
    );
  });

  const samples = Object.values(fixtures) as Record<string, unknown>[];
  const mutated = fc
    .tuple(
      fc.constantFrom(...samples),
      fc.array(interestingKey, { minLength: 1, maxLength: 3 }),
      untrusted,
    )
    .map(([sample, path, value]) => {
      const copy = structuredClone(sample);
      let target: Record<string, unknown> = copy;
      for (const key of path.slice(0, -1)) {
        // Own fields only: walking into `__proto__` would redefine Object.prototype.toString & co.
        // for every later test in this file (a flaky failure far from its cause).
        if (!Object.hasOwn(target, key)) break;
        const next = target[key];
        if (typeof next !== "object" || next === null) break;
        target = next as Record<string, unknown>;
      }
      Object.defineProperty(target, path.at(-1) ?? "x", {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
      return copy;
    });
  it.each(parsers)("%s: real fixtures with one field replaced by anything", (_name, parse) => {
    fc.assert(
      fc.property(mutated, (value) => expectWellFormed(parse(value))),
      { numRuns: 500 },
    );
  });

  it("parseSlotContent with arbitrary state keys, parseSlotId and stickyExpiresTs", () => {
    fc.assert(
      fc.property(untrusted, fc.string(), fc.option(fc.double()), (value, stateKey, receivedTs) => {
        expectWellFormed(parseSlotContent(value, stateKey));
        expectWellFormed(parseSlotId(stateKey));
        const expiry = stickyExpiresTs(value, receivedTs ?? undefined);
        expect(expiry === undefined || typeof expiry === "number").toBe(true);
        expect(
          typeof isAuthenticLegacyStateKey(stateKey, {
            sender: stateKey,
            deviceId: "D",
            slotId: "m.call#ROOM",
          }),
        ).toBe("boolean");
      }),
      { numRuns: 500 },
    );
  });
});

const text = fc.string({ minLength: 1, maxLength: 30 });
const slotPart = text.filter((part) => !part.includes("#"));
const slotId = fc.tuple(slotPart, slotPart).map(([application, id]) => `${application}#${id}`);
const httpsUrl = fc.webUrl();
const transport: fc.Arbitrary<RtcTransport> = fc.oneof(
  fc.record(
    { type: fc.constant("livekit"), livekit_service_url: httpsUrl },
    { requiredKeys: ["type"] },
  ),
  fc.record({ type: fc.constant("livekit"), livekit_service_url: httpsUrl, livekit_alias: text }),
  fc.constant({ type: "full_mesh" }),
  fc.record({
    type: fc.constant("io.mxrtc.mediasoup"),
    signalling_url: fc.constantFrom("wss://sfu.example.org/ws", "ws://127.0.0.1:4443"),
  }),
  fc
    .tuple(
      fc.constantFrom("com.example.sfu", "m.livekit", "org.example.mesh"),
      fc.dictionary(text, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    )
    .map(([type, extra]) => ({ ...extra, type })),
);
const transports = fc.array(transport, { maxLength: 16 });

describe("build → parse round trips", () => {
  it("legacy membership", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            sender: text,
            deviceId: text,
            slotId,
            memberId: text,
            transports,
            focusSelection: fc.constantFrom("oldest_membership", "multi_sfu", "custom"),
            createdTs: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
            expiresMs: fc.nat(),
            callIntent: fc.constantFrom("audio", "video"),
          },
          { requiredKeys: ["sender", "deviceId", "slotId", "transports"] },
        ),
        ({ sender, ...input }) => {
          const content = JSON.parse(JSON.stringify(buildLegacyMembershipContent(input)));
          const result = parseLegacyMembershipContent(content, { sender });
          if (!result.ok) throw new Error(`${result.error.path}: ${result.error.message}`);
          const value = result.value;
          if (value.kind !== "join") throw new Error("expected a join");
          expect(value.slotId).toBe(input.slotId);
          expect(value.memberId).toBe(input.memberId ?? `${sender}:${input.deviceId}`);
          expect(value.deviceId).toBe(input.deviceId);
          expect(value.transports.length).toBe(input.transports.length);
          value.transports.forEach((parsed, index) => {
            expect(transportsEqual(parsed, input.transports[index] as RtcTransport)).toBe(true);
          });
          expect(value.focusSelection).toBe(input.focusSelection ?? "oldest_membership");
          expect(value.focusActiveType).toBe(input.transports[0]?.type ?? "livekit");
          expect(value.createdTs).toBe(input.createdTs);
          expect(value.expiresMs).toBe(input.expiresMs ?? 14_400_000);
          expect(value.callIntent).toBe(input.callIntent);
          const stateKey = legacyMembershipStateKey({
            userId: sender,
            deviceId: input.deviceId,
            slotId: input.slotId,
          });
          expect(
            isAuthenticLegacyStateKey(stateKey, {
              sender,
              deviceId: input.deviceId,
              slotId: value.slotId,
            }),
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sticky membership join and leave", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            userId: text,
            deviceId: text,
            memberId: text,
            slotId,
            transports,
            canSubscribe: fc.array(text, { maxLength: 16 }),
            callIntent: text,
          },
          { requiredKeys: ["userId", "deviceId", "memberId", "slotId", "transports"] },
        ),
        (input) => {
          const result = parseRtcMemberContent(
            JSON.parse(JSON.stringify(buildStickyMembershipContent(input))),
          );
          if (!result.ok) throw new Error(`${result.error.path}: ${result.error.message}`);
          const value = result.value;
          if (value.kind !== "join") throw new Error("expected a join");
          expect(value).toMatchObject({
            dialect: "sticky",
            slotId: input.slotId,
            memberId: input.memberId,
            claimedUserId: input.userId,
            deviceId: input.deviceId,
            stickyKey: input.memberId,
            canSubscribe: input.canSubscribe ?? [
              ...new Set(input.transports.map((item) => item.type)),
            ],
          });
          expect(value.callIntent).toBe(input.callIntent);
          expect(
            value.transports.every((parsed, index) =>
              transportsEqual(parsed, input.transports[index] as RtcTransport),
            ),
          ).toBe(true);
          const leave = parseRtcMemberContent(buildStickyLeaveContent(input));
          expect(leave).toEqual({
            ok: true,
            value: {
              kind: "leave",
              dialect: "sticky",
              slotId: input.slotId,
              stickyKey: input.memberId,
            },
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("slot ids and legacy fields", () => {
    fc.assert(
      fc.property(slotPart, slotPart, (application, id) => {
        const slot = `${application}#${id}`;
        expect(parseSlotId(slot)).toEqual({ ok: true, value: { application, id } });
        const fields = legacyFieldsFromSlotId(slot);
        expect(slotIdFromLegacy(fields.application, fields.callId)).toBe(slot);
      }),
    );
  });

  it("transports parse to an equal, frozen copy", () => {
    fc.assert(
      fc.property(transport, (input) => {
        const result = parseTransport(JSON.parse(JSON.stringify(input)));
        if (!result.ok) throw new Error(`${result.error.path}: ${result.error.message}`);
        expect(transportsEqual(result.value, input)).toBe(true);
        expect(Object.isFrozen(result.value)).toBe(true);
      }),
    );
  });
});
