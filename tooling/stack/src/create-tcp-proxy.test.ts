import { createServer as createHttpServer } from "node:http";
import { connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTcpProxy, type TcpProxy } from "./create-tcp-proxy.js";

/** A line echo server on loopback: the proxy's target. */
async function startEchoServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    socket.on("error", () => {});
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  return { server, port: address.port };
}

/** Connects, sends `text`, resolves with the echo, "closed" or "timeout" (after `waitMs`). */
function roundTrip(port: number, text: string, waitMs = 300): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("timeout");
    }, waitMs);
    socket.on("error", () => {});
    socket.on("data", (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString());
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve("closed");
    });
    socket.write(text);
  });
}

describe("createTcpProxy", () => {
  let echo: { server: Server; port: number };
  let proxy: TcpProxy;
  beforeAll(async () => {
    echo = await startEchoServer();
    proxy = await createTcpProxy({ targetPort: echo.port });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => echo.server.close(resolve));
  });

  it("forwards bytes both ways", async () => {
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`);
    expect(await roundTrip(proxy.port, "ping")).toBe("ping");
  });

  it("cut() drops open connections and makes new ones hang until restore()", async () => {
    const open = connect({ host: "127.0.0.1", port: proxy.port });
    open.on("error", () => {});
    await new Promise((resolve) => open.once("connect", resolve));
    open.write("x");
    await new Promise((resolve) => open.once("data", resolve));
    const closed = new Promise((resolve) => open.once("close", resolve));

    proxy.cut();
    expect(proxy.isCut).toBe(true);
    await closed;
    expect(await roundTrip(proxy.port, "during cut")).toBe("timeout");

    proxy.restore();
    expect(proxy.isCut).toBe(false);
    expect(await roundTrip(proxy.port, "after")).toBe("after");
  });

  it("a held connection is reset by restore()", async () => {
    proxy.cut("hang");
    const held = roundTrip(proxy.port, "held", 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.restore();
    expect(await held).toBe("closed");
  });

  it("cut('reset') closes new connections at once", async () => {
    proxy.cut("reset");
    const started = Date.now();
    expect(await roundTrip(proxy.port, "refused", 2000)).toBe("closed");
    expect(Date.now() - started).toBeLessThan(2000);
    proxy.restore();
    expect(await roundTrip(proxy.port, "back")).toBe("back");
  });

  it("works as a homeserver base URL", async () => {
    const target = createHttpServer((_request, response) => response.end("ok"));
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", () => resolve()));
    const address = target.address();
    if (typeof address !== "object" || address === null) throw new Error("no address");
    const httpProxy = await createTcpProxy({ targetPort: address.port });
    try {
      expect(await (await fetch(`${httpProxy.url}/health`)).text()).toBe("ok");
      httpProxy.cut();
      await expect(
        fetch(`${httpProxy.url}/health`, { signal: AbortSignal.timeout(300) }),
      ).rejects.toThrow();
      httpProxy.restore();
      expect(await (await fetch(`${httpProxy.url}/health`)).text()).toBe("ok");
    } finally {
      await httpProxy.close();
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    }
  });
});
