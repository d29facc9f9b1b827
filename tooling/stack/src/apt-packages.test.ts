import { describe, expect, it } from "vitest";
import { type AptRunner, ensureAptPackages, missingAptPackages } from "./apt-packages.js";
import { StackError } from "./stack-error.js";

function fakeApt(installed: readonly string[], failing: readonly string[] = []) {
  const calls: string[] = [];
  const run: AptRunner = async (command, args) => {
    calls.push([command, ...args].join(" "));
    if (command === "dpkg-query") {
      const name = args.at(-1) ?? "";
      return installed.includes(name)
        ? { exitCode: 0, outputTail: ["install ok installed"] }
        : { exitCode: 1, outputTail: [`dpkg-query: no packages found matching ${name}`] };
    }
    const failed = failing.some((word) => args.includes(word));
    return { exitCode: failed ? 100 : 0, outputTail: failed ? ["E: boom"] : [] };
  };
  return { run, calls };
}

describe("apt packages", () => {
  it("finds the missing ones", async () => {
    const { run } = fakeApt(["redis-server"]);
    expect(await missingAptPackages(["chromium", "redis-server"], run)).toEqual(["chromium"]);
  });

  it("runs nothing when all are installed", async () => {
    const { run, calls } = fakeApt(["chromium", "redis-server"]);
    const result = await ensureAptPackages(["chromium", "redis-server"], { run, isRoot: true });
    expect(result.installed).toEqual([]);
    expect(calls.every((call) => call.startsWith("dpkg-query"))).toBe(true);
  });

  it("updates once, then installs all missing packages in one step", async () => {
    const { run, calls } = fakeApt([]);
    const lines: string[] = [];
    const result = await ensureAptPackages(["chromium", "redis-server"], {
      run,
      isRoot: true,
      log: (line) => lines.push(line),
    });
    expect(result.installed).toEqual(["chromium", "redis-server"]);
    const aptCalls = calls.filter((call) => call.startsWith("apt-get"));
    expect(aptCalls).toHaveLength(2);
    expect(aptCalls[0]).toContain(" update");
    expect(aptCalls[1]).toContain("install -y -qq --no-install-recommends chromium redis-server");
    expect(lines.join("\n")).toContain("apt-get install -y --no-install-recommends chromium");
  });

  it("says what to run when not root, and reports apt failures", async () => {
    const notRoot = await ensureAptPackages(["chromium"], {
      run: fakeApt([]).run,
      isRoot: false,
    }).catch((error: unknown) => error);
    expect(StackError.isInstance(notRoot)).toBe(true);
    expect((notRoot as Error).message).toContain(
      "apt-get install -y --no-install-recommends chromium",
    );
    await expect(
      ensureAptPackages(["chromium"], { run: fakeApt([], ["install"]).run, isRoot: true }),
    ).rejects.toMatchObject({
      code: "install-failed",
      message: expect.stringContaining("E: boom"),
    });
  });
});
