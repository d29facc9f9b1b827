import { describe, expect, it } from "vitest";
import { createFakeFocusMatrixPort, createFakeMatrixNetwork } from "./fake-focus-matrix-port.js";

const flushMicrotasks = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("createFakeFocusMatrixPort", () => {
  it("has documented defaults and hands out OpenID tokens for the user's server", async () => {
    const matrix = createFakeFocusMatrixPort();
    expect(matrix.userId).toBe("@alice:example.org");
    expect(matrix.deviceId).toBe("ALICEDEVICE");
    expect(matrix.homeserverBaseUrl).toBe("http://127.0.0.1:8008");
    const token = await matrix.requestOpenIdToken();
    expect(token).toEqual({
      access_token: "fake-openid-1",
      token_type: "Bearer",
      matrix_server_name: "example.org",
      expires_in: 3600,
    });
    expect(matrix.openIdRequests).toBe(1);
  });

  it("rejects with the abort reason and with an injected OpenID failure", async () => {
    const matrix = createFakeFocusMatrixPort();
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(matrix.requestOpenIdToken({ signal: controller.signal })).rejects.toBe(reason);
    await expect(matrix.sendToDevice("x", {}, { signal: controller.signal })).rejects.toBe(reason);
    const failure = new Error("M_FORBIDDEN");
    matrix.failOpenIdWith(failure);
    await expect(matrix.requestOpenIdToken()).rejects.toBe(failure);
    matrix.failOpenIdWith(undefined);
    await expect(matrix.requestOpenIdToken()).resolves.toMatchObject({ token_type: "Bearer" });
  });

  it("loops to-device messages between ports on one network, by device or '*'", async () => {
    const network = createFakeMatrixNetwork();
    const alice = createFakeFocusMatrixPort({ network });
    const bob1 = createFakeFocusMatrixPort({ network, userId: "@bob:b.org", deviceId: "B1" });
    const bob2 = createFakeFocusMatrixPort({ network, userId: "@bob:b.org", deviceId: "B2" });
    expect(network.portCount).toBe(3);
    const seen: string[] = [];
    bob1.onToDevice((event) => seen.push(`B1 ${event.type} ${event.sender} ${event.content.n}`));
    bob2.onToDevice((event) => seen.push(`B2 ${event.type} ${event.sender} ${event.content.n}`));
    const sending = alice.sendToDevice("ping", { "@bob:b.org": { B1: { n: 1 } } });
    expect(seen).toEqual([]);
    await sending;
    await flushMicrotasks();
    expect(seen).toEqual(["B1 ping @alice:example.org 1"]);
    await alice.sendToDevice("ping", { "@bob:b.org": { "*": { n: 2 } }, "@nobody:x": { D: {} } });
    await flushMicrotasks();
    expect(seen).toHaveLength(3);
    expect(seen).toContain("B2 ping @alice:example.org 2");
    expect(alice.sent.map((entry) => entry.eventType)).toEqual(["ping", "ping"]);
  });

  it("counts listeners and stops delivering after unsubscribe", async () => {
    const matrix = createFakeFocusMatrixPort();
    const seen: string[] = [];
    const stop = matrix.onToDevice((event) => seen.push(event.type));
    expect(matrix.listenerCount).toBe(1);
    matrix.deliver({ type: "a", sender: "@x:y", content: {} });
    await flushMicrotasks();
    stop();
    stop();
    expect(matrix.listenerCount).toBe(0);
    matrix.deliver({ type: "b", sender: "@x:y", content: {} });
    await flushMicrotasks();
    expect(seen).toEqual(["a"]);
  });

  it("refuses a network it did not create", () => {
    expect(() => createFakeFocusMatrixPort({ network: { portCount: 0 } })).toThrow(TypeError);
  });
});
