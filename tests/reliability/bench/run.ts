/**
 * Benchmarks of the leave scheduler against a real Synapse. Prints a markdown table and writes
 * results/bench.json.
 *
 *   pnpm --filter @mxrtc/reliability-tests bench [--only crash,cost,members] [--runs 10]
 *     [--cost-minutes 2] [--members 100] [--minutes 5]
 */
import { parseArgs } from "node:util";
import { DEFAULT_LEAVE_TIMING } from "@mxrtc/leave-scheduler";
import { startSynapse } from "@mxrtc/stack";
import { recordMeasurement } from "../src/record-measurement.js";
import { type CrashRun, measureCrashLatency } from "./crash-latency.js";
import { type HeartbeatCost, measureHeartbeatCost } from "./heartbeat-cost.js";
import { type ManyMembersResult, measureManyMembers } from "./many-members.js";
import { maximum, median, seconds } from "./statistics.js";

/** matrix-js-sdk's default heartbeat: a restart every 5 s for an 8 s delay. */
const JS_SDK_REQUESTS_PER_MINUTE = 12;
const JS_SDK_DELAY_MS = 8_000;

const { values } = parseArgs({
  options: {
    only: { type: "string", default: "crash,cost,members" },
    runs: { type: "string", default: "10" },
    "cost-minutes": { type: "string", default: "2" },
    members: { type: "string", default: "100" },
    minutes: { type: "string", default: "5" },
  },
});
const parts = new Set(values.only.split(","));
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

let crash: readonly CrashRun[] | undefined;
let cost: HeartbeatCost | undefined;
let many: ManyMembersResult | undefined;
/** The scheduler's default delay (what the crash runs and the cost run use). */
const defaultDelayMs = DEFAULT_LEAVE_TIMING.delayMs;

if (parts.has("crash") || parts.has("cost")) {
  const synapse = await startSynapse({ log });
  try {
    if (parts.has("crash")) {
      crash = await measureCrashLatency(synapse, { runs: Number(values.runs), log });
    }
    if (parts.has("cost")) {
      cost = await measureHeartbeatCost(synapse, { minutes: Number(values["cost-minutes"]), log });
    }
  } finally {
    await synapse.stop();
  }
}
if (parts.has("members")) {
  const synapse = await startSynapse({ log });
  try {
    many = await measureManyMembers(synapse, {
      members: Number(values.members),
      minutes: Number(values.minutes),
      log,
    });
  } finally {
    await synapse.stop();
  }
}

const rows: string[] = [];
if (crash !== undefined) {
  const latencies = crash.map((run) => run.killToEmptyMs);
  const worst = maximum(latencies);
  const afterHeartbeat = crash.flatMap((run) =>
    run.lastHeartbeatToEmptyMs === undefined ? [] : [run.lastHeartbeatToEmptyMs - defaultDelayMs],
  );
  const lag =
    afterHeartbeat.length === 0
      ? ""
      : `; seen ${Math.min(...afterHeartbeat)}–${maximum(afterHeartbeat)} ms after last heartbeat + delay`;
  rows.push(
    `| SIGKILL → leave visible to another client (${crash.length} runs, delay ${seconds(defaultDelayMs)}) | median ${seconds(median(latencies))}, max ${seconds(worst)}${lag} | ≤ delay + 1 s = ${seconds(defaultDelayMs + 1_000)} | ${worst <= defaultDelayMs + 1_000 ? "met" : "missed"} |`,
  );
}
if (cost !== undefined) {
  rows.push(
    `| Homeserver requests per member per minute in a call (${cost.minutes.toFixed(1)} min) | ${cost.requestsPerMinute.toFixed(1)}/min (${Object.entries(
      cost.byPath,
    )
      .map(([path, count]) => `${path}: ${count}`)
      .join(
        ", ",
      )}); worst-case detection = delay ${seconds(cost.delayMs)}${crash === undefined ? "" : ` (crash runs: max ${seconds(maximum(crash.map((run) => run.killToEmptyMs)))})`} | ≤ ${JS_SDK_REQUESTS_PER_MINUTE}/min (matrix-js-sdk) at delay ≤ ${seconds(JS_SDK_DELAY_MS)} | ${cost.requestsPerMinute <= JS_SDK_REQUESTS_PER_MINUTE && cost.delayMs <= JS_SDK_DELAY_MS ? "met" : "missed"} |`,
  );
}
if (many !== undefined) {
  rows.push(
    `| ${many.members} members heartbeating for ${many.minutes.toFixed(1)} min: ghosts / spurious leaves | ${many.ghosts} / ${many.spuriousLeaves} (all gone ${seconds(many.allGoneMs)} after the end; ${many.requestsPerMemberPerMinute.toFixed(1)} req/member/min; ${many.schedulerErrors} scheduler errors, ${many.probablyLeftEvents} probably-left) | 0 / 0 | ${many.ghosts === 0 && many.spuriousLeaves === 0 ? "met" : "missed"} |`,
    `| CPU during those ${many.minutes.toFixed(1)} min (% of one core) | members' process ${many.membersCpuPercent.toFixed(1)} %, Synapse ${many.synapseCpuPercent === undefined ? "unreadable" : `${many.synapseCpuPercent.toFixed(1)} %`} | – | – |`,
  );
}
const table = ["| Benchmark | Measured | Target | |", "| --- | --- | --- | --- |", ...rows].join(
  "\n",
);
console.log(table);
recordMeasurement("bench", { crash, cost, many, table });
