import { createSocket } from "node:dgram";
import { createServer } from "node:net";

/**
 * Asks the kernel for a free TCP port on 127.0.0.1.
 *
 * @remarks The port is free when this returns; another process could take it before you bind,
 * which is unlikely on a test machine.
 *
 * @example
 * ```ts
 * const port = await freeLoopbackPort();
 * ```
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Asks the kernel for a free UDP port on 127.0.0.1 (for an SFU's media port).
 *
 * @remarks Same caveat as {@link freeLoopbackPort}: free when this returns.
 *
 * @example
 * ```ts
 * const udpPort = await freeLoopbackUdpPort();
 * ```
 */
export function freeLoopbackUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.unref();
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const port = socket.address().port;
      socket.close(() => resolve(port));
    });
  });
}

/**
 * True when a TCP port on 127.0.0.1 can be bound right now.
 *
 * @example
 * ```ts
 * if (!(await isLoopbackPortFree(7880))) console.error("7880 is taken");
 * ```
 */
export function isLoopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
