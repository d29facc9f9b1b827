/**
 * Integration tests against a real Synapse (started by the stack's vitest global setup with
 * MSC4140 delayed events and MSC4354 sticky events enabled).
 */
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { createClient } from "matrix-js-sdk";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  type ClientEvent,
  createMatrixClient,
  fromMatrixJsSdk,
  MatrixError,
  type MatrixPort,
  type SyncBatch,
  type SyncOptions,
} from "../src/index.js";

const synapse = inject("synapse");
const CALL_MEMBER = "org.matrix.msc3401.call.member";
const RTC_MEMBER = "org.matrix.msc4143.rtc.member";
/** A well-formed legacy membership, so the js-sdk client in the last test parses it quietly. */
const membership = (deviceId: string) => ({
  application: "m.call",
  call_id: "",
  scope: "m.room",
  device_id: deviceId,
  expires: 14_400_000,
  focus_active: { type: "livekit", focus_selection: "oldest_membership" },
  foci_preferred: [{ type: "livekit", livekit_service_url: "http://127.0.0.1:1" }],
});

interface User {
  readonly userId: string;
  readonly deviceId: string;
  readonly accessToken: string;
  readonly matrix: ReturnType<typeof createMatrixClient>;
}

let alice: User;
let bob: User;
let roomId: string;

async function newUser(): Promise<User> {
  const registered = await registerUser(synapse);
  return {
    ...registered,
    matrix: createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: registered.accessToken }),
  };
}

/** Runs a sync until `found` returns something, then stops it. */
async function syncUntil<T>(
  matrix: MatrixPort,
  found: (batch: SyncBatch) => T | undefined,
  options: SyncOptions = {},
  timeoutMs = 20_000,
): Promise<{ value: T; batches: SyncBatch[] }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const batches: SyncBatch[] = [];
  try {
    for await (const batch of matrix.sync({
      timeoutMs: 1000,
      ...options,
      signal: controller.signal,
    })) {
      batches.push(batch);
      const value = found(batch);
      if (value !== undefined) return { value, batches };
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  throw new Error(
    `sync ended without a match after ${batches.length} batches: ${JSON.stringify(batches).slice(0, 2000)}`,
  );
}

function roomEvents(batch: SyncBatch, id: string): ClientEvent[] {
  const room = batch.rooms[id];
  return room ? [...room.state, ...room.timeline, ...room.sticky] : [];
}

beforeAll(async () => {
  alice = await newUser();
  bob = await newUser();
  roomId = await createCallRoom(synapse, alice, { invite: [bob.userId] });
  await joinRoom(synapse, bob, roomId);
});

describe("createMatrixClient against Synapse", () => {
  it("whoami names the registered user and device and fills userId", async () => {
    const client = createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: alice.accessToken });
    expect(client.userId).toBeUndefined();
    await expect(client.whoami()).resolves.toEqual({
      userId: alice.userId,
      deviceId: alice.deviceId,
    });
    expect(client.userId).toBe(alice.userId);
  });

  it("versions advertises MSC4140 and MSC4354", async () => {
    const versions = await alice.matrix.versions();
    expect(versions.versions.length).toBeGreaterThan(0);
    expect(versions.unstableFeatures["org.matrix.msc4140"]).toBe(true);
    expect(versions.unstableFeatures["org.matrix.msc4354"]).toBe(true);
  });

  it("capabilities include room versions and the delayed-event limits", async () => {
    const capabilities = await alice.matrix.capabilities();
    expect(capabilities["m.room_versions"]).toBeDefined();
    expect(capabilities["org.matrix.msc4140.delayed_events"]).toMatchObject({
      max_delay_ms: expect.any(Number),
    });
  });

  it("sends a message and a state event, and getRoomState returns the state", async () => {
    const message = await alice.matrix.sendEvent(roomId, "m.room.message", {
      msgtype: "m.text",
      body: "hi",
    });
    expect(message.eventId).toMatch(/^\$/);
    const stateKey = `_${alice.userId}_${alice.deviceId}_m.call`;
    const content = {
      application: "m.call",
      call_id: "",
      device_id: alice.deviceId,
      foci_preferred: [],
    };
    const state = await alice.matrix.sendStateEvent(roomId, CALL_MEMBER, stateKey, content);
    expect(state.eventId).toMatch(/^\$/);
    const roomState = await alice.matrix.getRoomState(roomId);
    const member = roomState.find(
      (event) => event.type === CALL_MEMBER && event.state_key === stateKey,
    );
    expect(member?.event_id).toBe(state.eventId);
    expect(member?.content).toEqual(content);
  });

  it("a delayed state event returns only a delayId", async () => {
    const result = await alice.matrix.sendStateEvent(
      roomId,
      CALL_MEMBER,
      `_${alice.userId}_${alice.deviceId}_m.call`,
      {},
      { delayMs: 60_000 },
    );
    expect(result.delayId).toEqual(expect.any(String));
    expect(result.eventId).toBeUndefined();
  });

  it("a sticky message event is accepted", async () => {
    const result = await alice.matrix.sendEvent(
      roomId,
      RTC_MEMBER,
      { msc4354_sticky_key: "alice-sticky", member: { id: "alice-sticky" } },
      { stickyDurationMs: 600_000 },
    );
    expect(result.eventId).toMatch(/^\$/);
  });

  it("errors from the server are MatrixErrors with errcode", async () => {
    const error = await alice.matrix
      .request({
        method: "GET",
        path: "/_matrix/client/v3/rooms/!nope:localhost/state/m.room.name/",
      })
      .catch((caught: unknown) => caught);
    expect(MatrixError.isInstance(error)).toBe(true);
    expect(MatrixError.isInstance(error) && error.status).toBeGreaterThanOrEqual(400);
    expect(MatrixError.isInstance(error) && error.errcode).toMatch(/^M_/);
  });
});

describe("sync against Synapse", () => {
  it("sees a state event, a sticky event and a fired delayed event with its delay_id", async () => {
    const { value: since } = await syncUntil(alice.matrix, (batch) =>
      batch.initial ? batch.nextBatch : undefined,
    );
    const stateKey = `_${alice.userId}_SYNCDEV_m.call`;
    const state = await alice.matrix.sendStateEvent(roomId, CALL_MEMBER, stateKey, {
      device_id: "SYNCDEV",
    });
    const sticky = await alice.matrix.sendEvent(
      roomId,
      RTC_MEMBER,
      { msc4354_sticky_key: "sync-sticky" },
      { stickyDurationMs: 600_000 },
    );
    const delayed = await alice.matrix.sendStateEvent(
      roomId,
      "io.mxrtc.test.delayed",
      "",
      { fired: true },
      { delayMs: 500 },
    );
    const seen = new Map<string, ClientEvent>();
    const { value: fired } = await syncUntil(
      alice.matrix,
      (batch) => {
        expect(batch.initial).toBe(false);
        for (const event of roomEvents(batch, roomId)) seen.set(event.event_id, event);
        return [...seen.values()].find((event) => event.type === "io.mxrtc.test.delayed");
      },
      { since },
    );
    expect(seen.get(state.eventId ?? "")?.state_key).toBe(stateKey);
    const stickyEvent = seen.get(sticky.eventId ?? "");
    expect(stickyEvent?.room_id).toBe(roomId);
    expect(stickyEvent?.msc4354_sticky ?? stickyEvent?.sticky).toEqual({ duration_ms: 600_000 });
    expect(fired.unsigned?.["org.matrix.msc4140.delay_id"]).toBe(delayed.delayId);
  });

  it("a newly joined user's initial sync carries unexpired sticky events in the sticky section", async () => {
    const sticky = await alice.matrix.sendEvent(
      roomId,
      RTC_MEMBER,
      { msc4354_sticky_key: "for-carol" },
      { stickyDurationMs: 600_000 },
    );
    for (let index = 0; index < 5; index++) {
      await alice.matrix.sendEvent(roomId, "m.room.message", {
        msgtype: "m.text",
        body: `filler ${index}`,
      });
    }
    const carol = await newUser();
    await alice.matrix.request({
      method: "POST",
      path: `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`,
      body: { user_id: carol.userId },
    });
    await joinRoom(synapse, carol, roomId);
    const { value: room } = await syncUntil(carol.matrix, (batch) => batch.rooms[roomId], {
      filter: { room: { timeline: { limit: 1 } } },
    });
    expect(room.membership).toBe("join");
    expect(room.timeline.map((event) => event.event_id)).not.toContain(sticky.eventId);
    expect(room.sticky.map((event) => event.event_id)).toContain(sticky.eventId);
  });

  it("delivers a to-device message between two users", async () => {
    const { value: since } = await syncUntil(bob.matrix, (batch) =>
      batch.initial ? batch.nextBatch : undefined,
    );
    await alice.matrix.sendToDevice("io.mxrtc.test.ping", {
      [bob.userId]: { [bob.deviceId]: { n: 42 } },
    });
    const { value: message } = await syncUntil(
      bob.matrix,
      (batch) => batch.toDevice.find((event) => event.type === "io.mxrtc.test.ping"),
      { since },
    );
    expect(message).toEqual({
      type: "io.mxrtc.test.ping",
      sender: alice.userId,
      content: { n: 42 },
    });
  });

  it("an unknown access token ends the sync with M_UNKNOWN_TOKEN", async () => {
    const stranger = createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: "not-a-token" });
    const error = await (async () => {
      for await (const _batch of stranger.sync()) {
        // unreachable
      }
    })().catch((caught: unknown) => caught);
    expect(MatrixError.isInstance(error) && [error.status, error.errcode]).toEqual([
      401,
      "M_UNKNOWN_TOKEN",
    ]);
  });
});

describe("OpenID against Synapse", () => {
  it("a requested token is accepted by the federation userinfo endpoint", async () => {
    const token = await alice.matrix.requestOpenIdToken();
    expect(token.token_type).toBe("Bearer");
    expect(token.matrix_server_name).toBe(synapse.serverName);
    const userinfo = await alice.matrix.request<{ sub: string }>({
      method: "GET",
      path: "/_matrix/federation/v1/openid/userinfo",
      query: { access_token: token.access_token },
      auth: false,
    });
    expect(userinfo.sub).toBe(alice.userId);
  });
});

describe("fromMatrixJsSdk against Synapse", () => {
  const silent = () => undefined;
  const logger = {
    trace: silent,
    debug: silent,
    info: silent,
    warn: silent,
    error: silent,
    getChild: () => logger,
  };
  let client: ReturnType<typeof createClient> | undefined;

  afterAll(() => {
    client?.stopClient();
  });

  it("a started js-sdk client's sync() sees a state event sent by another user", async () => {
    client = createClient({
      baseUrl: synapse.baseUrl,
      accessToken: bob.accessToken,
      userId: bob.userId,
      deviceId: bob.deviceId,
      logger,
    });
    const port = fromMatrixJsSdk(client);
    await client.startClient({ initialSyncLimit: 10 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    const stateKey = `_${alice.userId}_JSSDK_m.call`;
    let sent: string | undefined;
    let initial: SyncBatch | undefined;
    let found: ClientEvent | undefined;
    try {
      for await (const batch of port.sync({ signal: controller.signal })) {
        if (batch.initial) {
          initial = batch;
          sent = (
            await alice.matrix.sendStateEvent(roomId, CALL_MEMBER, stateKey, membership("JSSDK"))
          ).eventId;
          continue;
        }
        found = roomEvents(batch, roomId).find((event) => event.event_id === sent);
        if (found) break;
      }
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    expect(initial?.rooms[roomId]?.membership).toBe("join");
    expect(initial?.rooms[roomId]?.state.some((event) => event.type === "m.room.create")).toBe(
      true,
    );
    expect(found?.state_key).toBe(stateKey);
    expect(found?.room_id).toBe(roomId);
    expect(found?.sender).toBe(alice.userId);
    await expect(port.whoami()).resolves.toEqual({ userId: bob.userId, deviceId: bob.deviceId });
  });
});
