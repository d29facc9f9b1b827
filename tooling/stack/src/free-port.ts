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
