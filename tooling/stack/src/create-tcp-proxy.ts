import { connect, createServer, type Socket } from "node:net";

/** How a cut proxy treats new connections. */
export type TcpCutMode = "hang" | "reset";

/** A loopback TCP proxy that a test can partition. */
export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  readonly port: number;
  /** `http://127.0.0.1:<port>`: use it as a homeserver base URL. */
  readonly url: string;
  /** True between `cut()` and `restore()`. */
  readonly isCut: boolean;
  /**
   * Partition: destroy every open connection (reset), then treat new ones per `mode`
   * (default: the proxy's `cutMode`).
   */
  cut(mode?: TcpCutMode): void;
  /** Heal: forward new connections again; connections held while cut are reset. */
  restore(): void;
  /** Stop listening and destroy every connection. */
  close(): Promise<void>;
}

/** Options of {@link createTcpProxy}. */
export interface TcpProxyOptions {
  /** Port to forward to. */
  readonly targetPort: number;
  /** Host to forward to (default `"127.0.0.1"`). */
  readonly targetHost?: string;
  /**
   * What new connections see while cut (default `"hang"`): `"hang"` accepts and never forwards
   * nor answers, like a network partition (the client waits for its own timeout); `"reset"`
   * accepts and resets at once (the client sees ECONNRESET quickly, like a REJECT firewall).
   */
  readonly cutMode?: TcpCutMode;
}

function reset(socket: Socket): void {
  if (!socket.destroyed) socket.resetAndDestroy();
}

/**
 * Starts a TCP proxy on 127.0.0.1 (free port) in front of `targetHost:targetPort`, for
 * partition tests: point a client at `proxy.url`, then `cut()` and `restore()`.
 *
 * @remarks While cut, existing connections are reset and new ones hang (default) or are reset;
 * see {@link TcpProxyOptions.cutMode}. Held connections are reset on `restore()`, so a client
 * retrying on its own timeout reconnects through the healed proxy.
 *
 * @example
 * ```ts
 * const proxy = await createTcpProxy({ targetPort: synapse.port });
 * const client = createMatrixClient({ baseUrl: proxy.url, accessToken });
 * proxy.cut();     // requests now hang
 * proxy.restore(); // and flow again
 * await proxy.close();
 * ```
 */
export async function createTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? "127.0.0.1";
  const defaultMode = options.cutMode ?? "hang";
  const open = new Set<Socket>();
  const held = new Set<Socket>();
  let cutMode: TcpCutMode | undefined;

  const track = (socket: Socket, set: Set<Socket>) => {
    set.add(socket);
    socket.on("close", () => set.delete(socket));
    socket.on("error", () => {});
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    if (cutMode === "reset") {
      client.on("error", () => {});
      reset(client);
      return;
    }
    if (cutMode === "hang") {
      track(client, held);
      return;
    }
    track(client, open);
    const upstream = connect({ host: targetHost, port: options.targetPort });
    track(upstream, open);
    upstream.on("connect", () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    // pipe() forwards orderly ends; an error (reset) on one side resets the other.
    upstream.on("error", () => reset(client));
    client.on("error", () => reset(upstream));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get isCut() {
      return cutMode !== undefined;
    },
    cut(mode = defaultMode) {
      cutMode = mode;
      for (const socket of [...open]) reset(socket);
    },
    restore() {
      cutMode = undefined;
      for (const socket of [...held]) reset(socket);
    },
    async close() {
      for (const socket of [...open, ...held]) reset(socket);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
