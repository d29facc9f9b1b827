import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as fixtures from "./__fixtures__/membership-contents.js";
import { parseLegacyMembershipContent } from "./legacy-membership.js";
import type { MembershipContent, ParseReuse } from "./membership-content.js";
import type { ParseResult } from "./parse-result.js";
import { parseRtcMemberContent } from "./rtc-member.js";

const sender = { sender: "@alice:example.org" };
const parsers: [
  string,
  (content: unknown, reuse?: ParseReuse) => ParseResult<MembershipContent>,
][] = [
  ["legacy", (content, reuse) => parseLegacyMembershipContent(content, { ...sender, reuse })],
  ["rtc member", (content, reuse) => parseRtcMemberContent(content, { reuse })],
];
const samples = Object.values(fixtures) as Record<string, unknown>[];

function joinOf(result: ParseResult<MembershipContent>) {
  return result.ok && result.value.kind === "join" ? result.value : undefined;
}

/** Deep-frozen check of a parsed value. */
function deepFrozen(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

const key = fc.constantFrom(
  "type",
  "livekit_service_url",
  "livekit_alias",
  "signalling_url",
  "m.call.intent",
  "extra",
  "__proto__",
  "toString",
);
// Small edits of a transport list or application: what a refresh may change, or not.
const edit = fc.record({
  index: fc.nat({ max: 3 }),
  key,
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)),
});

function edited(
  sample: Record<string, unknown>,
  edits: readonly { index: number; key: string; value: unknown }[],
) {
  const copy = structuredClone(sample) as Record<string, unknown>;
  const published = (copy.transports as { published?: unknown[] } | undefined)?.published;
  const lists = [copy.foci_preferred, copy.rtc_transports, published].filter(Array.isArray);
  const targets: Record<string, unknown>[] = [];
  for (const list of lists)
    for (const item of list) if (item && typeof item === "object") targets.push(item);
  if (copy.application && typeof copy.application === "object")
    targets.push(copy.application as Record<string, unknown>);
  for (const { index, key: name, value } of edits) {
    const target = targets[index % Math.max(targets.length, 1)];
    if (target === undefined) continue;
    if (value === undefined) delete target[name];
    else
      Object.defineProperty(target, name, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
  }
  return copy;
}

describe("parse reuse", () => {
  it.each(parsers)(
    "%s: a reuse hint never changes the result, key order included",
    (_name, parse) => {
      fc.assert(
        fc.property(
          fc.constantFrom(...samples),
          fc.constantFrom(...samples),
          fc.array(edit, { maxLength: 3 }),
          (base, sample, edits) => {
            const reuse = joinOf(parse(base));
            const content = edited(sample, edits);
            const plain = parse(content);
            const hinted = parse(content, reuse);
            expect(hinted).toStrictEqual(plain);
            expect(JSON.stringify(hinted)).toBe(JSON.stringify(plain));
            if (hinted.ok) expect(deepFrozen(joinOf(hinted)?.transports)).toBe(true);
          },
        ),
        { numRuns: 400 },
      );
    },
  );

  it.each(parsers)(
    "%s: unchanged transports and application are shared, not copied",
    (_name, parse) => {
      for (const sample of samples) {
        const previous = joinOf(parse(sample));
        if (previous === undefined || previous.transports.length === 0) continue;
        const next = joinOf(parse(structuredClone(sample), previous));
        expect(next?.transports).toBe(previous.transports);
        if (previous.dialect !== "legacy") expect(next?.application).toBe(previous.application);
        expect(next?.transports).toStrictEqual(joinOf(parse(sample))?.transports);
      }
    },
  );

  it("ignores hints that are not frozen parser output", () => {
    const previous = joinOf(
      parseLegacyMembershipContent(fixtures.legacyJoinFromMembershipManager, sender),
    );
    const mutable = {
      transports: previous?.transports.map((transport) => ({ ...transport })) ?? [],
    };
    const next = joinOf(
      parseLegacyMembershipContent(fixtures.legacyJoinFromMembershipManager, {
        ...sender,
        reuse: mutable,
      }),
    );
    expect(next?.transports).toStrictEqual(previous?.transports);
    expect(next?.transports[0]).not.toBe(mutable.transports[0]);
    expect(Object.isFrozen(next?.transports[0])).toBe(true);
  });
});
