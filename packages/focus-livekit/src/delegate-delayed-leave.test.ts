import { describe, expect, it } from "vitest";
import { LivekitFocusError } from "./livekit-focus-error.js";
import { connectFixture } from "./test-support/connect-fixture.js";

async function rejection(promise: Promise<unknown>): Promise<LivekitFocusError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!LivekitFocusError.isInstance(error))
    throw new Error(`expected a LivekitFocusError: ${String(error)}`);
  return error;
}

describe("delegateDelayedLeave", () => {
  it("POSTs the exact body with a fresh OpenID token and says delegated", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    await expect(connection.delegate({ delayId: "syd_abc", delayMs: 7_200_000 })).resolves.toEqual({
      delegated: true,
    });
    const request = fixture.service.requests.at(-1);
    expect(request?.url).toBe("http://livekit-jwt.test/delegate_delayed_leave");
    expect(request?.body).toEqual({
      room_id: "!room:example.org",
      slot_id: "m.call#ROOM",
      openid_token: {
        access_token: "fake-openid-2",
        token_type: "Bearer",
        matrix_server_name: "example.org",
        expires_in: 3600,
      },
      member: {
        id: "alice-member",
        claimed_user_id: "@alice:example.org",
        claimed_device_id: "ALICEDEVICE",
      },
      delay_id: "syd_abc",
      delay_timeout: 7_200_000,
    });
    expect(connection.delegation).toEqual({ delegated: true });
    await connection.close();
  });

  it("resolves not delegated when the service refuses a short delay with 400 M_BAD_JSON", async () => {
    const fixture = await connectFixture();
    fixture.service.routes.set("/delegate_delayed_leave", {
      status: 400,
      body: { errcode: "M_BAD_JSON", error: "delay_timeout must be at least 3600000 ms" },
    });
    const connection = await fixture.connect();
    await expect(
      connection.delegateDelayedLeave({ delayId: "d1", delayMs: 8000 }),
    ).resolves.toBeUndefined();
    expect(connection.delegation).toMatchObject({ delegated: false, reason: "delay-too-short" });
    expect(fixture.leavePort.callCount).toBe(0);
    await connection.close();
  });

  it("resolves unsupported for a service without the endpoint", async () => {
    const fixture = await connectFixture();
    fixture.service.routes.delete("/delegate_delayed_leave");
    const connection = await fixture.connect();
    await expect(connection.delegate({ delayId: "d1", delayMs: 8000 })).resolves.toMatchObject({
      delegated: false,
      reason: "unsupported",
    });
    await connection.close();
  });

  it("rejects typed when the service forbids it or fails", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    fixture.service.routes.set("/delegate_delayed_leave", {
      status: 403,
      body: { errcode: "M_FORBIDDEN" },
    });
    expect(
      await rejection(connection.delegateDelayedLeave({ delayId: "d1", delayMs: 8000 })),
    ).toMatchObject({
      code: "forbidden",
      errcode: "M_FORBIDDEN",
    });
    fixture.service.routes.set("/delegate_delayed_leave", {
      status: 400,
      body: { errcode: "M_NOT_JSON" },
    });
    expect((await rejection(connection.delegate({ delayId: "d1", delayMs: 8000 }))).code).toBe(
      "bad-request",
    );
    fixture.service.routes.set("/delegate_delayed_leave", {
      status: 500,
      body: { errcode: "M_UNKNOWN" },
    });
    expect((await rejection(connection.delegate({ delayId: "d1", delayMs: 8000 }))).code).toBe(
      "service-error",
    );
    await connection.close();
  });

  it("checks its input, and refuses after close", async () => {
    const fixture = await connectFixture();
    const connection = await fixture.connect();
    const before = fixture.service.requests.length;
    expect((await rejection(connection.delegate({ delayId: "", delayMs: 8000 }))).code).toBe(
      "invalid-delegation",
    );
    expect((await rejection(connection.delegate({ delayId: "d", delayMs: -1 }))).code).toBe(
      "invalid-delegation",
    );
    expect((await rejection(connection.delegate({ delayId: "d", delayMs: Number.NaN }))).code).toBe(
      "invalid-delegation",
    );
    expect(fixture.service.requests.length).toBe(before);
    await connection.close();
    expect((await rejection(connection.delegate({ delayId: "d", delayMs: 8000 }))).code).toBe(
      "closed",
    );
  });

  it("sends nothing when the token came from the legacy /sfu/get", async () => {
    const fixture = await connectFixture({ plugin: { tokenEndpoint: "sfu_get" } });
    const connection = await fixture.connect();
    await expect(connection.delegate({ delayId: "d1", delayMs: 8000 })).resolves.toMatchObject({
      delegated: false,
      reason: "legacy-endpoint",
    });
    expect(fixture.service.requests.map((entry) => entry.path)).toEqual(["/sfu/get"]);
    await connection.close();
  });
});
