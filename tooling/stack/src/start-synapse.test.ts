import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createCallRoom } from "./create-call-room.js";
import { joinRoom } from "./join-room.js";
import { matrixRequest } from "./matrix-http.js";
import { registerUser } from "./register-user.js";
import { StackError } from "./stack-error.js";
import { type SynapseHandle, startSynapse } from "./start-synapse.js";

const CALL_MEMBER = "org.matrix.msc3401.call.member";

function memberStatePath(roomId: string, stateKey: string): string {
  return `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/${CALL_MEMBER}/${encodeURIComponent(stateKey)}`;
}

describe("the Synapse from the global setup", () => {
  const synapse = inject("synapse");

  it("advertises delayed events (MSC4140) and sticky events (MSC4354)", async () => {
    const versions = await matrixRequest<{ unstable_features: Record<string, boolean> }>(
      synapse.baseUrl,
      "GET",
      "/_matrix/client/versions",
    );
    expect(versions.unstable_features["org.matrix.msc4140"]).toBe(true);
    expect(versions.unstable_features["org.matrix.msc4354"]).toBe(true);
  });

  it("reports the delayed-event limits as a capability", async () => {
    const user = await registerUser(synapse);
    const { capabilities } = await matrixRequest<{ capabilities: Record<string, unknown> }>(
      synapse.baseUrl,
      "GET",
      "/_matrix/client/v3/capabilities",
      { accessToken: user.accessToken },
    );
    expect(capabilities["org.matrix.msc4140.delayed_events"]).toEqual({
      max_delay_ms: 86_400_000,
      max_scheduled: 1000,
    });
  });

  it("registers users, creates a call room, and a level-0 member publishes call.member", async () => {
    const alice = await registerUser(synapse, { localpart: `alice-${Date.now()}` });
    const bob = await registerUser(synapse, { deviceId: "BOBPHONE" });
    expect(alice.userId).toMatch(/^@alice-\d+:localhost$/);
    expect(bob.deviceId).toBe("BOBPHONE");
    const whoami = await matrixRequest<{ user_id: string; device_id: string }>(
      synapse.baseUrl,
      "GET",
      "/_matrix/client/v3/account/whoami",
      { accessToken: bob.accessToken },
    );
    expect(whoami).toMatchObject({ user_id: bob.userId, device_id: "BOBPHONE" });

    const roomId = await createCallRoom(synapse, alice, { invite: [bob.userId] });
    await joinRoom(synapse, bob, roomId);
    const stateKey = `_${bob.userId}_${bob.deviceId}_m.call`;
    const sent = await matrixRequest<{ event_id: string }>(
      synapse.baseUrl,
      "PUT",
      memberStatePath(roomId, stateKey),
      { accessToken: bob.accessToken, body: { application: "m.call", call_id: "" } },
    );
    expect(sent.event_id).toMatch(/^\$/);
  });

  it("refuses call.member from a level-0 member when memberLevel is 50", async () => {
    const alice = await registerUser(synapse);
    const bob = await registerUser(synapse);
    const roomId = await createCallRoom(synapse, alice, { memberLevel: 50 });
    await joinRoom(synapse, bob, roomId);
    const attempt = matrixRequest(
      synapse.baseUrl,
      "PUT",
      memberStatePath(roomId, `_${bob.userId}_${bob.deviceId}_m.call`),
      { accessToken: bob.accessToken, body: { application: "m.call", call_id: "" } },
    );
    await expect(attempt).rejects.toThrow(/-> 403/);
  });

  it("registers admins with the shared secret", async () => {
    const admin = await registerUser(synapse, { admin: true });
    const reply = await matrixRequest<{ admin: boolean }>(
      synapse.baseUrl,
      "GET",
      `/_synapse/admin/v1/users/${encodeURIComponent(admin.userId)}/admin`,
      { accessToken: admin.accessToken },
    );
    expect(reply.admin).toBe(true);
  });
});

describe("startSynapse", () => {
  let synapse: SynapseHandle;
  beforeAll(async () => {
    synapse = await startSynapse({
      transports: [{ type: "livekit", livekit_service_url: "http://127.0.0.1:9" }],
    });
  });
  afterAll(async () => {
    await synapse?.stop();
  });

  it("serves the configured transports and .well-known rtc_foci", async () => {
    const user = await registerUser(synapse);
    const transports = await matrixRequest<{ rtc_transports: unknown[] }>(
      synapse.baseUrl,
      "GET",
      "/_matrix/client/unstable/org.matrix.msc4143/rtc/transports",
      { accessToken: user.accessToken },
    );
    expect(transports.rtc_transports).toEqual([
      { type: "livekit", livekit_service_url: "http://127.0.0.1:9" },
    ]);
    const wellKnown = await matrixRequest<Record<string, unknown>>(
      synapse.baseUrl,
      "GET",
      "/.well-known/matrix/client",
    );
    expect(wellKnown["org.matrix.msc4143.rtc_foci"]).toEqual(transports.rtc_transports);
    expect(wellKnown["m.homeserver"]).toEqual({ base_url: `${synapse.baseUrl}/` });
  });

  it("keeps users and rooms across a restart, and kill() then restart() recovers", async () => {
    const alice = await registerUser(synapse);
    const roomId = await createCallRoom(synapse, alice);
    const firstPid = synapse.pid;
    await synapse.restart({ downMs: 100 });
    expect(synapse.pid).not.toBe(firstPid);
    const rooms = await matrixRequest<{ joined_rooms: string[] }>(
      synapse.baseUrl,
      "GET",
      "/_matrix/client/v3/joined_rooms",
      { accessToken: alice.accessToken },
    );
    expect(rooms.joined_rooms).toContain(roomId);

    await synapse.kill();
    expect(synapse.pid).toBeUndefined();
    await expect(
      matrixRequest(synapse.baseUrl, "GET", "/health", { timeoutMs: 2000 }),
    ).rejects.toSatisfy(StackError.isInstance);
    await synapse.restart();
    const again = await matrixRequest<{ joined_rooms: string[] }>(
      synapse.baseUrl,
      "GET",
      "/_matrix/client/v3/joined_rooms",
      { accessToken: alice.accessToken },
    );
    expect(again.joined_rooms).toContain(roomId);
  });
});
