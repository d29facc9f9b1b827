import { describe, expect, it } from "vitest";
import { createFakeHomeserver } from "./__fixtures__/fake-homeserver.js";
import { createDelayedEventTransport } from "./create-delayed-event-transport.js";
import { DelayedEventServerError } from "./delayed-event-error.js";

const UNSTABLE = "/_matrix/client/unstable/org.matrix.msc4140";
const unrecognized = {
  status: 404,
  body: { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" },
} as const;

describe("management request shapes (real client, fake fetch)", () => {
  it.each(["restart", "cancel", "send"] as const)(
    "unstable %s: authenticated POST …/delayed_events/{id}/{action} with {}",
    async (action) => {
      const { matrix, seen } = createFakeHomeserver(() => ({ status: 200, body: {} }));
      await createDelayedEventTransport({ matrix })[action]("syd_ab/c");
      expect(seen).toHaveLength(1);
      expect(seen[0]?.method).toBe("POST");
      expect(seen[0]?.url.pathname).toBe(`${UNSTABLE}/delayed_events/syd_ab%2Fc/${action}`);
      expect(seen[0]?.body).toEqual({});
      expect(seen[0]?.authorization).toBe("Bearer token-1");
    },
  );

  it("stable: POST /_matrix/client/v1/delayed_events/{id}/{action}", async () => {
    const { matrix, seen } = createFakeHomeserver(() => ({ status: 200, body: {} }), {
      unstableFeatures: { "org.matrix.msc4140.stable": true },
    });
    await createDelayedEventTransport({ matrix }).restart("d1");
    expect(seen.map((request) => request.url.pathname)).toEqual([
      "/_matrix/client/v1/delayed_events/d1/restart",
    ]);
    expect(seen[0]?.authorization).toBe("Bearer token-1");
  });

  it("old Synapse: falls back to the {action} body form, authenticated, and remembers it", async () => {
    const { matrix, seen } = createFakeHomeserver((request) =>
      request.url.pathname === `${UNSTABLE}/delayed_events/d1`
        ? { status: 200, body: {} }
        : unrecognized,
    );
    const transport = createDelayedEventTransport({ matrix });
    await transport.restart("d1");
    await transport.cancel("d1");
    expect(seen.map((request) => [request.url.pathname, request.body])).toEqual([
      [`${UNSTABLE}/delayed_events/d1/restart`, {}],
      [`${UNSTABLE}/delayed_events/d1`, { action: "restart" }],
      [`${UNSTABLE}/delayed_events/d1`, { action: "cancel" }],
    ]);
    expect(seen.every((request) => request.authorization === "Bearer token-1")).toBe(true);
  });

  it("405 M_UNRECOGNIZED (Synapse's wrong-method answer) also moves to the next form", async () => {
    const { matrix, seen } = createFakeHomeserver((request) =>
      request.url.pathname.endsWith("/restart")
        ? { status: 405, body: { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" } }
        : { status: 200, body: {} },
    );
    await createDelayedEventTransport({ matrix }).restart("d1");
    expect(seen).toHaveLength(2);
  });

  it("stable server without the stable endpoints: stable → unstable path, remembered", async () => {
    const { matrix, seen } = createFakeHomeserver(
      (request) =>
        request.url.pathname.startsWith(UNSTABLE) ? { status: 200, body: {} } : unrecognized,
      { unstableFeatures: { "org.matrix.msc4140.stable": true } },
    );
    const transport = createDelayedEventTransport({ matrix });
    await transport.restart("d1");
    await transport.restart("d1");
    expect(seen.map((request) => request.url.pathname)).toEqual([
      "/_matrix/client/v1/delayed_events/d1/restart",
      `${UNSTABLE}/delayed_events/d1/restart`,
      `${UNSTABLE}/delayed_events/d1/restart`,
    ]);
  });

  it("M_UNKNOWN_TOKEN: retries once without the token (delay id as capability)", async () => {
    const { matrix, seen } = createFakeHomeserver((request) =>
      request.authorization
        ? { status: 401, body: { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token" } }
        : { status: 200, body: {} },
    );
    await createDelayedEventTransport({ matrix }).send("d1");
    expect(seen.map((request) => request.authorization)).toEqual(["Bearer token-1", null]);
  });

  it("M_UNKNOWN_TOKEN then M_MISSING_TOKEN: reports the original token error", async () => {
    const { matrix, seen } = createFakeHomeserver((request) =>
      request.authorization
        ? { status: 401, body: { errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token" } }
        : { status: 401, body: { errcode: "M_MISSING_TOKEN", error: "Missing access token" } },
    );
    let caught: unknown;
    try {
      await createDelayedEventTransport({ matrix }).send("d1");
    } catch (error) {
      caught = error;
    }
    expect(DelayedEventServerError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ status: 401, errcode: "M_UNKNOWN_TOKEN" });
    expect(seen).toHaveLength(2);
  });
});
