import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallRoom } from "./create-call-room.js";
import { registerUser } from "./register-user.js";
import { type SynapseHandle, startSynapse } from "./start-synapse.js";

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function put(
  synapse: SynapseHandle,
  path: string,
  accessToken: string,
  body: unknown,
): Promise<Reply> {
  const response = await fetch(`${synapse.baseUrl}${path}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function post(synapse: SynapseHandle, path: string, accessToken: string): Promise<Reply> {
  const response = await fetch(`${synapse.baseUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: "{}",
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the tight-rate-limits profile", () => {
  let synapse: SynapseHandle;
  beforeAll(async () => {
    synapse = await startSynapse({ profile: "tight-rate-limits" });
  });
  afterAll(async () => {
    await synapse?.stop();
  });

  it("answers 429 with retry_after_ms to a burst of messages, then recovers", async () => {
    const alice = await registerUser(synapse);
    const roomId = await createCallRoom(synapse, alice);
    const room = encodeURIComponent(roomId);
    const replies: Reply[] = [];
    for (let index = 0; index < 6; index += 1) {
      replies.push(
        await put(
          synapse,
          `/_matrix/client/v3/rooms/${room}/send/m.room.message/burst-${index}`,
          alice.accessToken,
          { msgtype: "m.text", body: `burst ${index}` },
        ),
      );
    }
    const limited = replies.find((reply) => reply.status === 429);
    expect(limited?.body.errcode).toBe("M_LIMIT_EXCEEDED");
    expect(limited?.body.retry_after_ms).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, Number(limited?.body.retry_after_ms) + 100));
    const after = await put(
      synapse,
      `/_matrix/client/v3/rooms/${room}/send/m.room.message/after`,
      alice.accessToken,
      { msgtype: "m.text", body: "after" },
    );
    expect(after.status).toBe(200);
  });

  it("answers 429 to a burst of delayed-event restarts", async () => {
    const bob = await registerUser(synapse);
    const roomId = await createCallRoom(synapse, bob);
    const scheduled = await put(
      synapse,
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/org.matrix.msc3401.call.member/_${encodeURIComponent(bob.userId)}_${bob.deviceId}_m.call?org.matrix.msc4140.delay=60000`,
      bob.accessToken,
      {},
    );
    expect(scheduled.status).toBe(200);
    const delayId = String(scheduled.body.delay_id);
    const statuses: number[] = [];
    for (let index = 0; index < 6; index += 1) {
      const reply = await post(
        synapse,
        `/_matrix/client/unstable/org.matrix.msc4140/delayed_events/${encodeURIComponent(delayId)}/restart`,
        bob.accessToken,
      );
      statuses.push(reply.status);
    }
    expect(statuses).toContain(429);
    expect(statuses[0]).toBe(200);
  });
});
