import { spawnSync } from "node:child_process";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OWNER_FILE, sweepStaleDataDirs, TEMP_DATA_DIR_PREFIX } from "./sweep-stale-data-dirs.js";

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe("sweepStaleDataDirs", () => {
  let base: string | undefined;
  afterEach(async () => {
    if (base !== undefined) await rm(base, { recursive: true, force: true });
  });

  it("removes only dirs whose owner process is gone", async () => {
    base = await mkdtemp(join(tmpdir(), "sweep-test-"));
    const deadPid = spawnSync("true").pid;
    const stale = join(base, `${TEMP_DATA_DIR_PREFIX}stale`);
    const live = join(base, `${TEMP_DATA_DIR_PREFIX}live`);
    const fresh = join(base, `${TEMP_DATA_DIR_PREFIX}fresh`);
    const other = join(base, "something-else");
    for (const dir of [stale, live, fresh, other]) await mkdir(dir);
    await writeFile(join(stale, OWNER_FILE), String(deadPid));
    await writeFile(join(other, OWNER_FILE), String(deadPid));
    await writeFile(join(live, OWNER_FILE), String(process.pid));

    expect(await sweepStaleDataDirs(base)).toBe(1);
    expect(await exists(stale)).toBe(false);
    expect(await exists(live)).toBe(true);
    expect(await exists(fresh)).toBe(true);
    expect(await exists(other)).toBe(true);
  });
});
