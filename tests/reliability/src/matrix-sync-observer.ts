import { createMatrixClient } from "@mxrtc/matrix";
import { isLiveMembershipContent, type RawAccount } from "./raw-matrix.js";

/** A second observer built on `@mxrtc/matrix`'s own `sync()` loop (the package under test). */
export interface MatrixSyncObserver {
  /** Resolves with `Date.now()` when a batch shows `stateKey` without a live membership. */
  whenEmpty(stateKey: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts `createMatrixClient(...).sync()` for `account` and watches `eventType` state in `roomId`.
 *
 * @example
 * ```ts
 * const observer = startMatrixSyncObserver({ account, roomId, eventType });
 * const emptyTs = await observer.whenEmpty(stateKey);
 * ```
 */
export function startMatrixSyncObserver(options: {
  readonly account: RawAccount;
  readonly roomId: string;
  readonly eventType: string;
}): MatrixSyncObserver {
  const matrix = createMatrixClient(options.account);
  const controller = new AbortController();
  const waiting = new Map<string, (ts: number) => void>();
  const running = (async () => {
    try {
      for await (const batch of matrix.sync({ signal: controller.signal, timeoutMs: 5_000 })) {
        const room = batch.rooms[options.roomId];
        if (room === undefined) continue;
        for (const event of [...room.state, ...room.timeline]) {
          if (event.type !== options.eventType || event.state_key === undefined) continue;
          const resolve = waiting.get(event.state_key);
          if (resolve !== undefined && !isLiveMembershipContent(event.content)) {
            waiting.delete(event.state_key);
            resolve(batch.receivedTs);
          }
        }
      }
    } catch {
      // aborted on stop()
    }
  })();
  return {
    whenEmpty: (stateKey) =>
      new Promise((resolve) => {
        waiting.set(stateKey, resolve);
      }),
    async stop() {
      controller.abort();
      await running;
    },
  };
}
