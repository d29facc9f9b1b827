import { access, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mxrtcCacheDir } from "./cache-dir.js";
import { withFileLock } from "./file-lock.js";
import { runCommand } from "./run-command.js";
import { StackError } from "./stack-error.js";

/**
 * The livekit-server release the stack builds. v1.13.0/1.13.1 and later master carry `replace`
 * directives that `go install` refuses; v1.13.5 installs cleanly.
 */
export const LIVEKIT_SERVER_VERSION = "1.13.5";

const MODULE = "github.com/livekit/livekit-server/cmd/server";

/** Options of {@link installLivekitServer}. */
export interface InstallLivekitServerOptions {
  /** Progress lines with elapsed time (default: none). */
  readonly log?: (line: string) => void;
  /** Cache folder (default {@link mxrtcCacheDir}). */
  readonly cacheDir?: string;
  /** The Go command (default `go` on the PATH, else `/usr/local/go/bin/go`). */
  readonly go?: string;
}

interface InstallMarker {
  readonly version: string;
  readonly installedAt: string;
  readonly seconds: number;
}

/** Path of the livekit-server binary in the cache (present once {@link installLivekitServer} ran). */
export function livekitServerBinary(cacheDir: string = mxrtcCacheDir()): string {
  return join(cacheDir, "bin", "livekit-server");
}

function markerPath(cacheDir: string): string {
  return join(cacheDir, "bin", "livekit-server.json");
}

async function isInstalled(cacheDir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(
      await readFile(markerPath(cacheDir), "utf8"),
    ) as Partial<InstallMarker>;
    if (marker.version !== LIVEKIT_SERVER_VERSION) return false;
    await access(livekitServerBinary(cacheDir));
    return true;
  } catch {
    return false;
  }
}

async function findGo(explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) return explicit;
  const probe = await runCommand("go", ["version"]);
  if (probe.exitCode === 0) return "go";
  const fallback = "/usr/local/go/bin/go";
  const present = await access(fallback).then(
    () => true,
    () => false,
  );
  if (present) return fallback;
  throw new StackError(
    "install-failed",
    "livekit-server is built from source with Go (>= 1.25), but no `go` command was found on the PATH or in /usr/local/go/bin",
  );
}

/**
 * Builds livekit-server from the Go module proxy into the cache folder, once.
 *
 * @remarks Runs `go install github.com/livekit/livekit-server/cmd/server@v1.13.5` with
 * `GOBIN=<cache>/bin`, `GOMODCACHE=<cache>/go/mod`, `GOCACHE=<cache>/go/build`, `CGO_ENABLED=0`,
 * `GOFLAGS=-mod=mod` and `GOTOOLCHAIN=local` (never downloads a toolchain), then renames `server`
 * to `livekit-server` and writes a marker with the version next to it. A repeat call returns in
 * milliseconds. Cold (empty module and build caches) it takes several minutes on 2 cores; with
 * warm Go caches, seconds. Concurrent callers wait on a lock. Progress with the elapsed time goes
 * to `log` every 15 s. Throws a {@link StackError} (`install-failed`) with the tail of Go's output.
 *
 * @example
 * ```ts
 * const { binary } = await installLivekitServer({ log: console.log });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function installLivekitServer(
  options: InstallLivekitServerOptions = {},
): Promise<{ binary: string }> {
  const log = options.log ?? (() => {});
  const cacheDir = options.cacheDir ?? mxrtcCacheDir();
  const binary = livekitServerBinary(cacheDir);
  if (await isInstalled(cacheDir)) {
    log(`livekit-server ${LIVEKIT_SERVER_VERSION} already installed: ${binary}`);
    return { binary };
  }
  const bin = join(cacheDir, "bin");
  await mkdir(bin, { recursive: true });
  return withFileLock(
    join(cacheDir, "livekit-install.lock"),
    async () => {
      if (await isInstalled(cacheDir)) return { binary };
      const go = await findGo(options.go);
      const started = Date.now();
      const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)}s`;
      let downloaded = 0;
      let lastDownloadAt = started;
      const ticker = setInterval(() => {
        const phase = Date.now() - lastDownloadAt > 10_000 ? "compiling" : "downloading modules";
        log(`  ... livekit-server: ${phase} (${elapsed()}, ${downloaded} modules fetched)`);
      }, 15_000);
      ticker.unref();
      try {
        await rm(join(bin, "server"), { force: true });
        log(
          `building livekit-server ${LIVEKIT_SERVER_VERSION} with ${go} install (cold: several minutes; warm: seconds)`,
        );
        const result = await runCommand(go, ["install", `${MODULE}@v${LIVEKIT_SERVER_VERSION}`], {
          cwd: cacheDir,
          env: {
            ...process.env,
            GOBIN: bin,
            GOMODCACHE: join(cacheDir, "go", "mod"),
            GOCACHE: join(cacheDir, "go", "build"),
            CGO_ENABLED: "0",
            GOFLAGS: "-mod=mod -buildvcs=false",
            GOTOOLCHAIN: "local",
          },
          onLine: (line) => {
            if (line.startsWith("go: downloading")) {
              downloaded += 1;
              lastDownloadAt = Date.now();
              return;
            }
            log(`  go: ${line.slice(0, 160)}`);
          },
        });
        if (result.exitCode !== 0) {
          throw new StackError(
            "install-failed",
            `go install ${MODULE}@v${LIVEKIT_SERVER_VERSION} failed (exit ${result.exitCode}) after ${elapsed()}:\n${result.outputTail.join("\n")}`,
          );
        }
        await rename(join(bin, "server"), binary);
        const marker: InstallMarker = {
          version: LIVEKIT_SERVER_VERSION,
          installedAt: new Date().toISOString(),
          seconds: (Date.now() - started) / 1000,
        };
        await writeFile(markerPath(cacheDir), `${JSON.stringify(marker)}\n`);
        log(
          `livekit-server ${LIVEKIT_SERVER_VERSION} installed in ${elapsed()} (${downloaded} modules fetched): ${binary}`,
        );
        return { binary };
      } finally {
        clearInterval(ticker);
      }
    },
    {
      timeoutMs: 30 * 60_000,
      onWait: () => log("another process is building livekit-server; waiting"),
    },
  );
}
