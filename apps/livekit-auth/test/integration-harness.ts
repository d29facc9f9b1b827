import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMatrixClient, type MatrixPort } from "@mxrtc/matrix";
import {
  createCallRoom,
  freeLoopbackPort,
  type LivekitHandle,
  registerUser,
  type SynapseInfo,
  startLivekit,
} from "@mxrtc/stack";
import type { LivekitAuthConfig } from "../src/livekit-auth-config.js";
import { createLivekitAuthService, type LivekitAuthService } from "../src/livekit-auth-service.js";
import { silentLogger } from "../src/logger.js";

export const API_KEY = "devkey";
export const API_SECRET = "integration-secret-of-at-least-32-characters";
export const MEMBER_TYPE = "org.matrix.msc3401.call.member";

/** A webhook request LiveKit sent, as received. */
export interface CapturedWebhook {
  readonly body: string;
  readonly authorization: string;
  readonly event: string;
  readonly identity: string | undefined;
  readonly receivedTs: number;
}

/** An HTTP server that records LiveKit's webhooks (a second receiver beside the service). */
export async function startWebhookCapture(): Promise<{
  url: string;
  hooks: CapturedWebhook[];
  close(): Promise<void>;
}> {
  const hooks: CapturedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const parsed = JSON.parse(body) as { event: string; participant?: { identity?: string } };
      hooks.push({
        body,
        authorization: request.headers.authorization ?? "",
        event: parsed.event,
        identity: parsed.participant?.identity,
        receivedTs: Date.now(),
      });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hooks,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** LiveKit whose webhooks go to the given service ports and a capture server. */
export async function startLivekitFor(
  servicePorts: readonly number[],
  captureUrl: string,
): Promise<LivekitHandle> {
  return await startLivekit({
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    webhookUrls: [
      ...servicePorts.map((port) => `http://127.0.0.1:${port}/sfu_webhook`),
      captureUrl,
    ],
  });
}

/** The service configured for the stack's Synapse and LiveKit. */
export async function startService(
  synapse: SynapseInfo,
  livekit: LivekitHandle,
  port: number,
  overrides: Partial<LivekitAuthConfig> = {},
): Promise<{ service: LivekitAuthService; url: string }> {
  const service = createLivekitAuthService({
    livekitUrl: livekit.url,
    livekitApiUrl: livekit.httpUrl,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    fullAccessHomeservers: [synapse.serverName],
    homeserverUrlOverrides: { [synapse.serverName]: synapse.baseUrl },
    delegationDbPath: join(mkdtempSync(join(tmpdir(), "livekit-auth-it-")), "jobs.sqlite"),
    sanityCheckIntervalMs: 5_000,
    logger: silentLogger,
    ...overrides,
  });
  const { url } = await service.listen(port, "127.0.0.1");
  return { service, url };
}

/** A registered Synapse user with a Matrix client. */
export async function newUser(
  synapse: SynapseInfo,
): Promise<{ userId: string; deviceId: string; accessToken: string; matrix: MatrixPort }> {
  const user = await registerUser(synapse);
  const matrix = createMatrixClient({
    baseUrl: synapse.baseUrl,
    accessToken: user.accessToken,
    userId: user.userId,
    deviceId: user.deviceId,
  });
  return { ...user, matrix };
}

/** A call room with a legacy membership and its delayed leave (1 h) scheduled first. */
export async function joinWithDelayedLeave(
  synapse: SynapseInfo,
  user: { userId: string; deviceId: string; accessToken: string; matrix: MatrixPort },
  serviceUrl: string,
): Promise<{ roomId: string; stateKey: string; delayId: string }> {
  const roomId = await createCallRoom(synapse, user);
  const stateKey = `_${user.userId}_${user.deviceId}_m.call`;
  const { delayId } = await user.matrix.sendStateEvent(
    roomId,
    MEMBER_TYPE,
    stateKey,
    {},
    { delayMs: 3_600_000 },
  );
  if (delayId === undefined) throw new Error("Synapse returned no delay_id");
  await user.matrix.sendStateEvent(roomId, MEMBER_TYPE, stateKey, {
    application: "m.call",
    call_id: "",
    scope: "m.room",
    device_id: user.deviceId,
    expires: 14_400_000,
    focus_active: { type: "livekit", focus_selection: "oldest_membership" },
    foci_preferred: [{ type: "livekit", livekit_service_url: serviceUrl, livekit_alias: roomId }],
  });
  return { roomId, stateKey, delayId };
}

/** The membership content now on Synapse. */
export async function membershipContent(
  user: { matrix: MatrixPort },
  roomId: string,
  stateKey: string,
): Promise<Record<string, unknown>> {
  return await user.matrix.request<Record<string, unknown>>({
    method: "GET",
    path: `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/${MEMBER_TYPE}/${encodeURIComponent(stateKey)}`,
  });
}

/** `running_since` of a scheduled delayed event (undefined once it was sent). */
export async function delayedRunningSince(
  user: { matrix: MatrixPort },
  delayId: string,
): Promise<number | undefined> {
  const reply = await user.matrix.request<{
    delayed_events: { delay_id: string; running_since: number }[];
  }>({
    method: "GET",
    path: "/_matrix/client/unstable/org.matrix.msc4140/delayed_events",
  });
  return reply.delayed_events.find((event) => event.delay_id === delayId)?.running_since;
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  intervalMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** POSTs JSON and returns status and body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

export { freeLoopbackPort };
