/**
 * Benchmark: 100,000 membership events applied one at a time at 10, 100 and 1,000 concurrent
 * members, with and without a selectMemberships after each. Run: `pnpm bench` in packages/state.
 */
import { performance } from "node:perf_hooks";
import { applyEvent, createRoomRtcState, type RoomRtcState, selectMemberships } from "@mxrtc/state";
import { parseLegacyMembershipContent, parseRtcMemberContent } from "@mxrtc/types";

const SLOT = "m.call#ROOM";
const EVENTS = 100_000;
const T0 = 1_760_000_000_000;

type Dialect = "legacy" | "sticky";

function user(index: number): string {
  return `@user${index}:example.org`;
}

function membershipEvent(
  dialect: Dialect,
  index: number,
  ts: number,
  createdTs: number | undefined,
  leave: boolean,
  serial: number,
) {
  const sender = user(index);
  if (dialect === "legacy") {
    const content: Record<string, unknown> = leave
      ? {}
      : {
          application: "m.call",
          call_id: "",
          device_id: "DEVICE",
          expires: 14_400_000,
          foci_preferred: [
            {
              type: "livekit",
              livekit_service_url: "https://rtc.example.org/livekit/jwt",
              livekit_alias: "!room:example.org",
            },
          ],
          membershipID: `${sender}:DEVICE`,
          focus_active: { type: "livekit", focus_selection: "oldest_membership" },
          scope: "m.room",
          ...(createdTs === undefined ? {} : { created_ts: createdTs }),
        };
    return {
      type: "org.matrix.msc3401.call.member",
      state_key: `_${sender}_DEVICE_m.call`,
      sender,
      event_id: `$e${serial}`,
      origin_server_ts: ts,
      content,
    };
  }
  const memberId = `${sender}:DEVICE`;
  return {
    type: "org.matrix.msc4143.rtc.member",
    sender,
    event_id: `$e${serial}`,
    origin_server_ts: ts,
    msc4354_sticky: { duration_ms: 3_600_000 },
    content: leave
      ? { slot_id: SLOT, msc4354_sticky_key: memberId }
      : {
          application: { type: "m.call" },
          slot_id: SLOT,
          member: { device_id: "DEVICE", user_id: sender, id: memberId },
          transports: {
            published: [
              { type: "livekit", livekit_service_url: "https://rtc.example.org/livekit/jwt" },
            ],
            can_subscribe: ["livekit"],
          },
          versions: [],
          msc4354_sticky_key: memberId,
        },
  };
}

/** Room with `members` joined call members, plus a stream of refreshes (90 %), leaves and rejoins. */
function scenario(dialect: Dialect, members: number) {
  let state: RoomRtcState = createRoomRtcState({ roomId: "!room:example.org" });
  let serial = 0;
  let ts = T0;
  const created: (number | undefined)[] = [];
  for (let index = 0; index < members; index++) {
    state = applyEvent(state, {
      type: "m.room.member",
      state_key: user(index),
      sender: user(index),
      event_id: `$m${index}`,
      origin_server_ts: ts,
      content: { membership: "join" },
    });
    state = applyEvent(state, membershipEvent(dialect, index, ts, undefined, false, serial++));
    created[index] = ts;
    ts += 1;
  }
  const left = new Array<boolean>(members).fill(false);
  let random = 42;
  /** The next `size` events of the stream, generated lazily so the input never fills the heap. */
  const nextBatch = (size: number): unknown[] => {
    const batch: unknown[] = [];
    for (let count = 0; count < size; count++) {
      random = (Math.imul(random, 1103515245) + 12345) >>> 0;
      const index = random % members;
      ts += 10;
      if (left[index]) {
        left[index] = false;
        created[index] = ts;
        batch.push(membershipEvent(dialect, index, ts, undefined, false, serial++));
      } else if (random % 20 === 0) {
        left[index] = true;
        batch.push(membershipEvent(dialect, index, ts, undefined, true, serial++));
      } else {
        batch.push(membershipEvent(dialect, index, ts, created[index], false, serial++));
      }
    }
    // What a client applies comes out of JSON.parse (flat strings, fresh objects); template
    // strings built here would be V8 cons strings, slower to hash and compare than real input.
    return JSON.parse(JSON.stringify(batch)) as unknown[];
  };
  return { state, nextBatch };
}

/** Events are generated (untimed) and applied (timed) in batches of this size. */
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);

interface Measurement {
  readonly wallMicroseconds: number;
  readonly cpuMicroseconds: number;
  readonly active: number;
}

function run(dialect: Dialect, members: number, select: boolean): Measurement {
  const { state: initial, nextBatch } = scenario(dialect, members);
  let state = initial;
  let active = 0;
  let elapsed = 0;
  let cpuMicroseconds = 0;
  for (let applied = 0; applied < EVENTS; applied += BATCH) {
    const batch = nextBatch(BATCH);
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    for (const event of batch) {
      state = applyEvent(state, event);
      if (select) {
        const record = event as { origin_server_ts: number };
        active = selectMemberships(state, { slotId: SLOT, now: record.origin_server_ts }).length;
      }
    }
    elapsed += performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    cpuMicroseconds += cpu.user + cpu.system;
  }
  if (!select) active = selectMemberships(state, { slotId: SLOT, now: state.latestTs ?? 0 }).length;
  return {
    wallMicroseconds: (elapsed * 1000) / EVENTS,
    cpuMicroseconds: cpuMicroseconds / EVENTS,
    active,
  };
}

/** The share of the work done by @mxrtc/types: parsing each event's content, nothing else. */
function parseOnly(dialect: Dialect, members: number, rounds: number): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const { nextBatch } = scenario(dialect, members);
    let valid = 0;
    let elapsed = 0;
    for (let parsed = 0; parsed < EVENTS; parsed += BATCH) {
      const batch = nextBatch(BATCH);
      const start = performance.now();
      for (const event of batch) {
        const record = event as { sender: string; content: unknown };
        const result =
          dialect === "legacy"
            ? parseLegacyMembershipContent(record.content, { sender: record.sender })
            : parseRtcMemberContent(record.content);
        if (result.ok) valid++;
      }
      elapsed += performance.now() - start;
    }
    fastest = Math.min(fastest, (elapsed * 1000) / EVENTS);
    if (valid === 0) throw new Error("nothing parsed");
  }
  return fastest;
}

/**
 * Best of `rounds` runs: the machine is shared, so the fastest run is the least disturbed one.
 * Wall and CPU time are each the minimum over the rounds.
 */
function best(dialect: Dialect, members: number, select: boolean, rounds: number): Measurement {
  let fastest: Measurement | undefined;
  let cpuMicroseconds = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round++) {
    const measurement = run(dialect, members, select);
    cpuMicroseconds = Math.min(cpuMicroseconds, measurement.cpuMicroseconds);
    if (fastest === undefined || measurement.wallMicroseconds < fastest.wallMicroseconds)
      fastest = measurement;
  }
  return { ...(fastest as Measurement), cpuMicroseconds };
}

// Warm up the JIT on a smaller run of every path.
for (const dialect of ["legacy", "sticky"] as const) {
  run(dialect, 100, false);
  run(dialect, 100, true);
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** `BENCH_ONLY=legacy:1000` runs one case (for profiling). */
const ONLY = process.env.BENCH_ONLY;
/** Compiled (`dist/`, what users run) or the TypeScript source through tsx. */
const RUNTIME = import.meta.url.endsWith(".ts")
  ? "TypeScript source through tsx"
  : "compiled dist/ with plain node";
const rows: string[] = [];
for (const dialect of ["legacy", "sticky"] as const) {
  for (const members of [10, 100, 1000]) {
    if (ONLY !== undefined && ONLY !== `${dialect}:${members}`) continue;
    const apply = best(dialect, members, false, ROUNDS);
    const both = best(dialect, members, true, ROUNDS);
    const parsing = parseOnly(dialect, members, ROUNDS);
    rows.push(
      `| ${dialect} | ${members.toLocaleString("en")} | ${Math.round(1e6 / apply.wallMicroseconds).toLocaleString("en")} | ${apply.wallMicroseconds.toFixed(2)} | ${apply.cpuMicroseconds.toFixed(2)} | ${parsing.toFixed(2)} | ${both.wallMicroseconds.toFixed(2)} | ${both.cpuMicroseconds.toFixed(2)} | ${both.active} |`,
    );
  }
}
console.log(
  `Node ${process.version}, ${RUNTIME}, ${EVENTS.toLocaleString("en")} membership events applied one at a time (90 % refreshes, 5 % leaves, 5 % rejoins; generated untimed in batches of ${BATCH}), best of ${ROUNDS}\n`,
);
console.log(
  "| dialect | concurrent members | apply: events/s | apply: µs/event | apply: CPU µs/event | of which parsing (@mxrtc/types): µs/event | apply + select: µs/event | apply + select: CPU µs/event | members at end |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const row of rows) console.log(row);
