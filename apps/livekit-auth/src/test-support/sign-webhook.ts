import { createHash } from "node:crypto";
import { AccessToken } from "livekit-server-sdk";

/** Signs a webhook body as LiveKit does: a JWT from the API key whose `sha256` claim is the body's digest. */
export async function signWebhook(
  body: string,
  apiKey: string,
  apiSecret: string,
): Promise<string> {
  const token = new AccessToken(apiKey, apiSecret);
  token.sha256 = createHash("sha256").update(body).digest("base64");
  return await token.toJwt();
}

/** A LiveKit webhook event body in protobuf JSON. */
export function webhookBody(
  event: string,
  roomAlias: string,
  identity: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    event,
    room: { sid: "RM_test", name: roomAlias },
    participant: { sid: "PA_test", identity, ...extra },
    id: `EV_${Math.random().toString(36).slice(2)}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
  });
}
