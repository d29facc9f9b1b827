/**
 * A tiny stand-in for lk-jwt-service: `/healthz` and `/get_token`, which checks the OpenID token
 * against the homeserver's `/_matrix/federation/v1/openid/userinfo` like the real service.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeFocusService {
  /** `http://127.0.0.1:PORT/livekit/jwt` */
  readonly serviceUrl: string;
  /** The users whose tokens were verified. */
  readonly verified: string[];
  /** Where to verify OpenID tokens (set once the homeserver runs). */
  homeserverBaseUrl: string;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeFocusService(): Promise<FakeFocusService> {
  const verified: string[] = [];
  const service = { homeserverBaseUrl: "", verified } as {
    homeserverBaseUrl: string;
    verified: string[];
  };
  const server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "GET" && request.url === "/livekit/jwt/healthz") return reply(200, {});
    if (request.method !== "POST" || request.url !== "/livekit/jwt/get_token") {
      return reply(404, { errcode: "M_NOT_FOUND" });
    }
    let body: {
      room_id?: string;
      openid_token?: { access_token?: string };
      member?: { claimed_user_id?: string };
    };
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return reply(400, { errcode: "M_NOT_JSON" });
    }
    const token = body.openid_token?.access_token;
    if (!body.room_id || !token || !body.member?.claimed_user_id) {
      return reply(400, { errcode: "M_BAD_JSON" });
    }
    const userinfo = await fetch(
      `${service.homeserverBaseUrl}/_matrix/federation/v1/openid/userinfo?access_token=${encodeURIComponent(token)}`,
    );
    const { sub } = (await userinfo.json()) as { sub?: string };
    if (!userinfo.ok || sub !== body.member.claimed_user_id) {
      return reply(401, { errcode: "M_UNAUTHORIZED", error: "OpenID token not valid" });
    }
    verified.push(sub);
    return reply(200, { url: "ws://127.0.0.1:7880", jwt: "eyJhbGciOiJIUzI1NiJ9.e30.sig" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(service, {
    serviceUrl: `http://127.0.0.1:${port}/livekit/jwt`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
