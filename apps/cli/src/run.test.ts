import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { CliIo } from "./cli-io.js";
import type { InspectReport } from "./inspect-report.js";
import { run } from "./run.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "../../..");
const SAMPLE = join(here, "../samples/element-call-room.json");

function memoryIo(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readFile: async (path) => {
      if (path in files) return files[path] as string;
      return readFile(path, "utf8");
    },
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

async function inspectJson(args: string[], files?: Record<string, string>): Promise<InspectReport> {
  const terminal = memoryIo(files);
  expect(await run(["inspect", ...args, "--json"], terminal.io)).toBe(0);
  return JSON.parse(terminal.stdout()) as InspectReport;
}

describe("mxrtc inspect (in-process)", () => {
  it("prints members, transports, sessions and rejected events of the bundled sample", async () => {
    const terminal = memoryIo();
    expect(await run(["inspect", SAMPLE], terminal.io)).toBe(0);
    const text = terminal.stdout();
    expect(text).toContain("Call in progress: 2026-11-24 19:20:00Z → now (40 min), 4 people");
    expect(text).toMatch(/@alice:example\.org {2}device ALICELAPTOP {2}legacy\/oldest_membership/);
    expect(text).toMatch(/@carol:other\.example {2}device CAROLTABLET {2}sticky/);
    expect(text).toMatch(/@dave:example\.org .* expired at/);
    expect(text).toContain("2026-11-24 17:00:00Z → 2026-11-24 17:23:00Z (23 min), 4 people");
    expect(text).toContain("forged-membership  from @mallory:evil.example at state_key");
    expect(text).toContain(
      "forged-membership  from @frank:other.example at content.member.user_id",
    );
    expect(terminal.stderr()).toBe("");
  });

  it("gives machines the same facts with --json", async () => {
    const report = await inspectJson([SAMPLE]);
    expect(report.nowSource).toBe("latest-event");
    expect(report.now).toBe(Date.parse("2026-11-24T20:00:00Z"));
    const [slot] = report.slots;
    expect(slot?.slotId).toBe("m.call#ROOM");
    expect(slot?.members.map((member) => [member.userId, member.dialect])).toEqual([
      ["@alice:example.org", "legacy"],
      ["@bob:example.org", "legacy"],
      ["@carol:other.example", "sticky"],
    ]);
    expect(slot?.inactive).toEqual([
      expect.objectContaining({ userId: "@dave:example.org", reason: "expired" }),
    ]);
    expect(slot?.pastSessions.at(-1)).toMatchObject({ durationMs: 23 * 60_000, distinctUsers: 4 });
    expect(report.diagnostics.map((diagnostic) => diagnostic.code)).toEqual([
      "forged-membership",
      "forged-membership",
    ]);
  });

  it("evaluates expiry at --now (ms or ISO) and filters by --slot", async () => {
    const later = await inspectJson([SAMPLE, "--now", "2026-11-24T23:30:00Z"]);
    expect(later.slots[0]?.members.map((member) => member.userId)).toEqual(["@alice:example.org"]);
    const byMs = await inspectJson([SAMPLE, "--now", String(Date.parse("2026-11-24T23:30:00Z"))]);
    expect(byMs.slots).toEqual(later.slots);
    const other = await inspectJson([SAMPLE, "--slot", "io.example#ROOM"]);
    expect(other.slots).toEqual([
      expect.objectContaining({ slotId: "io.example#ROOM", members: [] }),
    ]);
  });

  it("reads an event array and a whole /sync response", async () => {
    const sample = JSON.parse(await readFile(SAMPLE, "utf8")) as {
      state: { events: unknown[] };
      timeline: { events: unknown[] };
    };
    const array = JSON.stringify([...sample.state.events, ...sample.timeline.events]);
    const sync = JSON.stringify({
      next_batch: "s1",
      rooms: { join: { "!HfXnXwVYBeHkoKnbpL:example.org": sample } },
    });
    const fromArray = await inspectJson(["array.json"], { "array.json": array });
    expect(fromArray.input).toBe("event-array");
    expect(fromArray.slots[0]?.members).toHaveLength(2);
    const fromSync = await inspectJson(["sync.json"], { "sync.json": sync });
    expect(fromSync.roomId).toBe("!HfXnXwVYBeHkoKnbpL:example.org");
    expect(fromSync.slots[0]?.members).toHaveLength(3);
  });

  it.each([
    [["inspect", "missing.json"], /^mxrtc: cannot read missing\.json: ENOENT\n$/],
    [["inspect", "bad.json"], /^mxrtc: bad\.json is not valid JSON: .*\n$/],
    [["inspect", "scalar.json"], /^mxrtc: expected a JSON array of events or a \/sync object\n$/],
    [["inspect", "object.json"], /^mxrtc: not a room dump: .*\n$/],
    [["inspect", "two.json"], /^mxrtc: the \/sync response holds 2 rooms .*--room\n$/],
    [["inspect"], /^mxrtc: missing the room dump file .*\n$/],
    [["inspect", "bad.json", "--now", "yesterday"], /^mxrtc: --now must be .*\n$/],
    [["inspect", "bad.json", "--colour"], /^mxrtc: Unknown option '--colour'.*\n$/],
    [["frobnicate"], /^mxrtc: unknown command "frobnicate".*\n$/],
  ])("%j: one clear line on stderr, exit code 2", async (argv, message) => {
    const terminal = memoryIo({
      "bad.json": "{ nope",
      "scalar.json": "42",
      "object.json": '{"hello": 1}',
      "two.json": JSON.stringify({
        rooms: {
          join: { "!a:x": { timeline: { events: [] } }, "!b:x": { timeline: { events: [] } } },
        },
      }),
    });
    expect(await run(argv, terminal.io)).toBe(2);
    expect(terminal.stderr()).toMatch(message);
    expect(terminal.stderr().trim().split("\n")).toHaveLength(1);
    expect(terminal.stdout()).toBe("");
  });

  it("never fails on hostile events inside a valid dump", async () => {
    const events = [
      null,
      5,
      "x",
      { type: "org.matrix.msc3401.call.member" },
      { type: "m.room.member", state_key: 1 },
    ];
    const report = await inspectJson(["hostile.json"], { "hostile.json": JSON.stringify(events) });
    expect(report.diagnostics.length).toBe(5);
    expect(report.nowSource).toBe("none");
  });
});

describe("mxrtc inspect (child process via tsx)", () => {
  it("runs the binary entry on the bundled sample", async () => {
    const tsx = join(repoRoot, "node_modules/.bin/tsx");
    const { stdout } = await promisify(execFile)(
      tsx,
      ["--conditions=@mxrtc/source", join(here, "main.ts"), "inspect", SAMPLE, "--json"],
      { cwd: repoRoot },
    );
    const report = JSON.parse(stdout) as InspectReport;
    expect(report.slots[0]?.members).toHaveLength(3);
  }, 30_000);

  it("exits 2 with one line on stderr for an unreadable file", async () => {
    const tsx = join(repoRoot, "node_modules/.bin/tsx");
    const failure = await promisify(execFile)(
      tsx,
      ["--conditions=@mxrtc/source", join(here, "main.ts"), "inspect", "/nonexistent.json"],
      {
        cwd: repoRoot,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({
      code: 2,
      stderr: "mxrtc: cannot read /nonexistent.json: ENOENT\n",
    });
  }, 30_000);
});
