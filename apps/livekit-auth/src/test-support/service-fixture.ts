import { createMemoryDelegationStore, type DelegationStore } from "../delegation-store.js";
import type { LivekitAuthConfig } from "../livekit-auth-config.js";
import { createLivekitAuthService, type LivekitAuthService } from "../livekit-auth-service.js";
import { silentLogger } from "../logger.js";
import { createFakeHomeserver, FAKE_HS_URL, type FakeHomeserver } from "./fake-homeserver.js";
import { createFakeLivekitApi, type FakeLivekitApi } from "./fake-livekit-api.js";

export const API_KEY = "devkey";
export const API_SECRET = "a-secret-of-at-least-32-characters-long";

export interface ServiceFixture {
  readonly service: LivekitAuthService;
  readonly url: string;
  readonly homeserver: FakeHomeserver;
  readonly livekit: FakeLivekitApi;
  readonly store: DelegationStore;
  post(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  close(): Promise<void>;
}

/** The service on a loopback port with a fake homeserver (example.com full access, restricted.org not) and a fake LiveKit. */
export async function startServiceFixture(
  overrides: Partial<LivekitAuthConfig> = {},
): Promise<ServiceFixture> {
  const homeserver = createFakeHomeserver({
    good: "@user:example.com",
    restricted: "@bob:restricted.org",
    liar: "@eve:elsewhere.net",
  });
  const livekit = createFakeLivekitApi();
  const store = overrides.delegationStore ?? createMemoryDelegationStore();
  const service = createLivekitAuthService({
    livekitUrl: "wss://sfu.example.test",
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    fullAccessHomeservers: ["example.com"],
    homeserverUrlOverrides: { "example.com": FAKE_HS_URL, "restricted.org": FAKE_HS_URL },
    fetch: homeserver.fetch,
    livekitApi: livekit,
    delegationStore: store,
    logger: silentLogger,
    sanityCheckIntervalMs: 0,
    ...overrides,
  });
  const { url } = await service.listen(0, "127.0.0.1");
  return {
    service,
    url,
    homeserver,
    livekit,
    store,
    async post(path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
        headers: response.headers,
      };
    },
    close: () => service.close(),
  };
}
