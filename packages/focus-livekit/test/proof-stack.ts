/**
 * Starts the real services of the browser proof on 127.0.0.1: Synapse (OpenID tokens), LiveKit
 * (the SFU, with webhooks to the auth service), `@mxrtc/livekit-auth` (the token service under
 * its lk-jwt-service contract), a node:http server for the bundled page, and Chromium.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createLivekitAuthService,
  createLogger,
  createMemoryDelegationStore,
  type LivekitAuthService,
  type Logger,
  silentLogger,
} from "@mxrtc/livekit-auth";
import {
  freeLoopbackPort,
  type LivekitHandle,
  launchChromium,
  type SynapseHandle,
  startLivekit,
  startSynapse,
} from "@mxrtc/stack";
import { build } from "esbuild";
import type { Browser } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));

/** Everything the proof runs against. */
export interface ProofStack {
  readonly synapse: SynapseHandle;
  readonly livekit: LivekitHandle;
  readonly serviceUrl: string;
  /** The token service's delegation jobs. */
  readonly delegations: LivekitAuthService["delegations"];
  readonly pageUrl: string;
  /** The shared Chromium; `undefined` with `launchBrowser: false`. */
  readonly browser: Browser;
  readonly timings: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/** What {@link startProofStack} starts besides the services. */
export interface ProofStackOptions {
  /** Page bundle entry, relative to test/page. Default `"page-entry.ts"`. */
  readonly pageEntry?: string;
  /** Launch one shared Chromium. Default `true`; without it `browser` is unusable. */
  readonly launchBrowser?: boolean;
  /** Logger of the token service (default silent; `MXRTC_PROOF_DEBUG` prints debug). */
  readonly serviceLogger?: Logger;
}

/** Bundles a test/page entry (and livekit-client) for the browser. */
async function bundlePage(outdir: string, entry: string): Promise<string> {
  const outfile = join(outdir, "page.js");
  await build({
    entryPoints: [join(here, "page", entry)],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    conditions: ["@mxrtc/source"],
    outfile,
    logLevel: "silent",
  });
  return outfile;
}

async function servePage(bundle: string): Promise<{ server: Server; url: string }> {
  const script = await readFile(bundle);
  const html = `<!doctype html><meta charset="utf-8"><title>mxrtc livekit proof</title><script type="module" src="/page.js"></script>`;
  const server = createServer((request, response) => {
    if (request.url === "/page.js") {
      response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    } else if (request.url === "/" || request.url === "/index.html") {
      response.writeHead(200, { "content-type": "text/html" }).end(html);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** Starts the whole proof stack; `stop()` tears down what started, in reverse. */
export async function startProofStack(
  log: (line: string) => void,
  options: ProofStackOptions = {},
): Promise<ProofStack> {
  const stops: (() => Promise<void>)[] = [];
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await work();
    timings[name] = Math.round(performance.now() - started);
    return value;
  };
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const synapse = await timed("synapseStartMs", () => startSynapse({ log }));
    stops.push(() => synapse.stop());
    const servicePort = await freeLoopbackPort();
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    const livekit = await timed("livekitStartMs", () =>
      startLivekit({ webhookUrls: [`${serviceUrl}/sfu_webhook`], log }),
    );
    stops.push(() => livekit.stop());
    const service = createLivekitAuthService({
      livekitUrl: livekit.url,
      livekitApiUrl: livekit.httpUrl,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      fullAccessHomeservers: [synapse.serverName],
      homeserverUrlOverrides: { [synapse.serverName]: synapse.baseUrl },
      delegationStore: createMemoryDelegationStore(),
      logger:
        options.serviceLogger ??
        (process.env.MXRTC_PROOF_DEBUG ? createLogger({ level: "debug" }) : silentLogger),
    });
    await service.listen(servicePort, "127.0.0.1");
    stops.push(() => service.close());
    const workDir = await mkdtemp(join(tmpdir(), "mxrtc-focus-livekit-"));
    stops.push(() => rm(workDir, { recursive: true, force: true }));
    const bundle = await timed("bundleMs", () =>
      bundlePage(workDir, options.pageEntry ?? "page-entry.ts"),
    );
    const page = await servePage(bundle);
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          page.server.close(() => resolve());
          page.server.closeAllConnections();
        }),
    );
    const browser =
      options.launchBrowser === false
        ? (undefined as unknown as Browser)
        : await timed("chromiumLaunchMs", () => launchChromium());
    if (options.launchBrowser !== false) stops.push(() => browser.close());
    return {
      synapse,
      livekit,
      serviceUrl,
      delegations: service.delegations,
      pageUrl: page.url,
      browser,
      timings,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
