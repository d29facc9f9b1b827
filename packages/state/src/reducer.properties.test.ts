import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ALICE,
  BOB,
  CRYPTO_ID,
  draftMember,
  legacyJoin,
  legacyLeave,
  legacyStateKey,
  MALLORY,
  MINUTE,
  PSEUDONYMOUS,
  roomMember,
  slotEvent,
  stickyJoin,
  stickyLeave,
  T0,
} from "./__fixtures__/events.js";
import { applyEvent, applyEvents } from "./apply-event.js";
import { createRoomRtcState, type RoomRtcState, stateData } from "./room-rtc-state.js";
import { selectDiagnostics } from "./select-diagnostics.js";
import { selectMemberships } from "./select-memberships.js";
import { selectSessions } from "./select-sessions.js";
import { selectTransport } from "./select-transport.js";

const SLOT = "m.call#ROOM";
const USERS = [ALICE, BOB, PSEUDONYMOUS, CRYPTO_ID, MALLORY];
const RELEVANT = new Set([
  "m.room.member",
  "org.matrix.msc3401.call.member",
  "org.matrix.msc4143.rtc.member",
  "m.rtc.member",
  "m.rtc.slot",
  "org.matrix.msc4143.rtc.slot",
]);

type Step = {
  kind: string;
  user: number;
  device: number;
  delta: number;
  refresh: boolean;
  pick: number;
};

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom(
    "room-join",
    "room-leave",
    "legacy-join",
    "legacy-leave",
    "legacy-forged",
    "sticky-join",
    "sticky-leave",
    "sticky-forged",
    "draft-join",
    "draft-leave",
    "slot-open",
    "slot-close",
    "garbage",
    "repeat",
  ),
  user: fc.nat(USERS.length - 1),
  device: fc.nat(1),
  delta: fc.integer({ min: -2 * MINUTE, max: 90 * MINUTE }),
  refresh: fc.boolean(),
  pick: fc.nat(),
});

/** Turn random steps into a real-shaped event stream (with out-of-order timestamps and repeats). */
function eventsFrom(steps: readonly Step[]): unknown[] {
  const events: unknown[] = [];
  let ts = T0;
  let id = 0;
  for (const step of steps) {
    ts = Math.max(T0, ts + step.delta);
    id += 1;
    const eventId = `$p${id}`;
    const user = USERS[step.user] as string;
    const deviceId = `D${step.device}`;
    const memberId = `${user}|${deviceId}`;
    switch (step.kind) {
      case "room-join":
      case "room-leave":
        events.push(roomMember(user, step.kind === "room-join" ? "join" : "leave", ts, eventId));
        break;
      case "legacy-join":
        events.push(
          legacyJoin({
            sender: user,
            deviceId,
            ts,
            eventId,
            ...(step.refresh ? { createdTs: T0, expires: 8 * 60 * MINUTE } : {}),
          }),
        );
        break;
      case "legacy-leave":
        events.push(legacyLeave({ sender: user, deviceId, ts, eventId }));
        break;
      case "legacy-forged":
        events.push(
          legacyJoin({
            sender: MALLORY,
            deviceId,
            ts,
            eventId,
            stateKey: legacyStateKey(user, deviceId),
          }),
        );
        break;
      case "sticky-join":
        events.push(
          stickyJoin({
            sender: user,
            deviceId,
            memberId,
            ts,
            eventId,
            durationMs: step.refresh ? 60 * MINUTE : 10 * MINUTE,
          }),
        );
        break;
      case "sticky-leave":
        events.push(stickyLeave({ sender: user, memberId, ts, eventId }));
        break;
      case "sticky-forged":
        events.push(stickyJoin({ sender: MALLORY, userId: user, deviceId, memberId, ts, eventId }));
        break;
      case "draft-join":
      case "draft-leave":
        events.push(
          draftMember({
            sender: user,
            memberId,
            ts,
            eventId,
            membership: step.kind === "draft-join" ? "join" : "leave",
          }),
        );
        break;
      case "slot-open":
      case "slot-close":
        events.push(
          slotEvent({ ts, eventId, status: step.kind === "slot-open" ? "open" : "closed" }),
        );
        break;
      case "garbage":
        events.push(
          [
            null,
            5,
            {
              type: "org.matrix.msc3401.call.member",
              event_id: eventId,
              sender: user,
              origin_server_ts: ts,
              state_key: "x",
              content: { device_id: [] },
            },
            { type: "m.rtc.member" },
          ][step.pick % 4],
        );
        break;
      default:
        if (events.length > 0) events.push(events[step.pick % events.length]);
    }
  }
  return events;
}

function observe(state: RoomRtcState) {
  const latest = state.latestTs ?? T0;
  const nows = [T0, latest, latest + 30 * MINUTE, latest + 5 * 60 * MINUTE];
  return {
    memberships: nows.map((now) => selectMemberships(state, { slotId: SLOT, now })),
    transports: nows.map((now) => selectTransport(state, { slotId: SLOT, now })),
    sessions: nows.map((now) => selectSessions(state, { now })),
    diagnostics: selectDiagnostics(state),
  };
}

function chunk<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const chunks: T[][] = [];
  let index = 0;
  let size = 0;
  while (index < items.length) {
    const length = Math.max(1, sizes[size++ % Math.max(1, sizes.length)] ?? 1);
    chunks.push(items.slice(index, index + length));
    index += length;
  }
  return chunks;
}

const streams = fc.array(stepArbitrary, { maxLength: 80 });

describe("reducer properties", () => {
  it("never throws and gives the same answers however the stream is batched", () => {
    fc.assert(
      fc.property(
        streams,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
        (steps, sizes) => {
          const events = eventsFrom(steps);
          const all = applyEvents(createRoomRtcState({ roomId: "!r" }), events);
          let oneByOne = createRoomRtcState({ roomId: "!r" });
          for (const event of events) oneByOne = applyEvent(oneByOne, event);
          let chunked = createRoomRtcState({ roomId: "!r" });
          for (const part of chunk(events, sizes)) chunked = applyEvents(chunked, part);
          const expected = observe(all);
          expect(observe(oneByOne)).toEqual(expected);
          expect(observe(chunked)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps selectMemberships maintained incrementally equal to a fresh computation", () => {
    fc.assert(
      fc.property(streams, fc.array(fc.boolean(), { minLength: 1 }), (steps, mask) => {
        const events = eventsFrom(steps);
        let incremental = createRoomRtcState({ roomId: "!r" });
        for (const [index, event] of events.entries()) {
          incremental = applyEvent(incremental, event);
          if (mask[index % mask.length] === false && index !== events.length - 1) continue;
          const now = incremental.latestTs ?? T0;
          const fresh = applyEvents(
            createRoomRtcState({ roomId: "!r" }),
            events.slice(0, index + 1),
          );
          expect(selectMemberships(incremental, { slotId: SLOT, now })).toEqual(
            selectMemberships(fresh, { slotId: SLOT, now }),
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it("gives every dropped relevant event a diagnostic", () => {
    fc.assert(
      fc.property(streams, (steps) => {
        let state = createRoomRtcState({ roomId: "!r" });
        for (const event of eventsFrom(steps)) {
          const before = selectDiagnostics(state).length;
          state = applyEvent(state, event);
          const added = selectDiagnostics(state).slice(before);
          const record =
            typeof event === "object" && event !== null
              ? (event as Record<string, unknown>)
              : undefined;
          if (record === undefined || !RELEVANT.has(String(record.type))) {
            if (record === undefined || typeof record.type !== "string")
              expect(added.length).toBe(1);
            continue;
          }
          if (added.some((diagnostic) => !diagnostic.applied)) continue;
          expect(held(state, record)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("reducer fuzzing", () => {
  const templates = [
    roomMember(ALICE, "join", T0, "$t-member"),
    legacyJoin({ sender: ALICE, deviceId: "A", ts: T0, eventId: "$t-legacy" }),
    stickyJoin({ sender: ALICE, deviceId: "A", memberId: "m", ts: T0, eventId: "$t-sticky" }),
    draftMember({ sender: ALICE, memberId: "m", ts: T0, eventId: "$t-draft" }),
    slotEvent({ ts: T0, status: "open", eventId: "$t-slot" }),
  ];
  const paths = [
    "type",
    "event_id",
    "sender",
    "origin_server_ts",
    "state_key",
    "content",
    "unsigned",
    "sticky",
    "msc4354_sticky",
  ];
  /** A real event with one field (or one content field) replaced by arbitrary JSON. */
  const mutated = fc
    .tuple(
      fc.nat(templates.length - 1),
      fc.nat(paths.length - 1),
      fc.boolean(),
      fc.string({ maxLength: 12 }),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map(([template, path, intoContent, contentKey, value]) => {
      const event = structuredClone(templates[template]) as Record<string, unknown>;
      if (intoContent && typeof event.content === "object" && event.content !== null) {
        const content = event.content as Record<string, unknown>;
        const keys = Object.keys(content);
        content[
          keys.length > 0 && contentKey.length % 2 === 0
            ? (keys[contentKey.length % keys.length] as string)
            : contentKey
        ] = value;
      } else {
        event[paths[path] as string] = value;
      }
      return event;
    });

  it("never throws on mutated or arbitrary events, and diagnoses or applies each relevant one", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(mutated, fc.anything()), { maxLength: 40 }), (events) => {
        let state = applyEvent(
          createRoomRtcState({ roomId: "!r" }),
          roomMember(ALICE, "join", T0 - 1, "$pre"),
        );
        for (const event of events) {
          const before = selectDiagnostics(state).length;
          state = applyEvent(state, event);
          const record =
            typeof event === "object" && event !== null && !Array.isArray(event)
              ? (event as Record<string, unknown>)
              : undefined;
          if (record === undefined || !RELEVANT.has(String(record.type))) continue;
          const added = selectDiagnostics(state).slice(before);
          if (!added.some((diagnostic) => !diagnostic.applied))
            expect(held(state, record)).toBe(true);
        }
        for (const now of [T0, T0 + 5 * 60 * MINUTE]) {
          selectMemberships(state, { slotId: SLOT, now });
          selectTransport(state, { slotId: SLOT, now });
          selectSessions(state, { now });
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Whether the event is what the state now holds for its key (i.e. it was applied, not dropped). */
function held(state: RoomRtcState, event: Record<string, unknown>): boolean {
  const data = stateData(state);
  const eventId = event.event_id;
  const stateKey = String(event.state_key);
  switch (event.type) {
    case "m.room.member":
      return data.roomMembers.get(stateKey)?.eventId === eventId;
    case "org.matrix.msc3401.call.member":
      return data.entries.get(`state:${stateKey}`)?.eventId === eventId;
    case "m.rtc.slot":
      return data.slots.get(stateKey)?.stableSlot?.eventId === eventId;
    case "org.matrix.msc4143.rtc.slot":
      return data.slots.get(stateKey)?.unstableSlot?.eventId === eventId;
    default:
      return [...data.entries.values()].some((entry) => entry.eventId === eventId);
  }
}
