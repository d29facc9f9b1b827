import type {
  FocusConnectionV1,
  FocusMatrixPortV1,
  FocusMemberV1,
  FocusPluginV1,
  LeavePortV1,
} from "@mxrtc/focus";
import { type RtcTransport, transportsEqual } from "@mxrtc/types";

/** What the focus should be connected to now; `undefined` = disconnected. */
export interface FocusTarget {
  readonly transport: RtcTransport;
  readonly members: readonly FocusMemberV1[];
  readonly localMember: {
    readonly userId: string;
    readonly deviceId: string;
    readonly memberId: string;
  };
  readonly leavePort: LeavePortV1;
  readonly matrix: FocusMatrixPortV1;
}

/** Options of {@link createFocusController}. */
export interface FocusControllerOptions {
  readonly roomId: string;
  readonly slotId: string;
  /** Look up the plugin serving a transport type. */
  readonly pluginFor: (focusType: string) => FocusPluginV1 | undefined;
  /** A connect, `ready`, `updateMembers` or delegation failed. */
  readonly onError: (error: unknown, focusType: string) => void;
  /** A connection was opened (`connection`) or closed (`undefined`). */
  readonly onConnectionChanged?: (
    connection: FocusConnectionV1 | undefined,
    transport: RtcTransport | undefined,
  ) => void;
}

interface Current {
  readonly transport: RtcTransport;
  readonly plugin: FocusPluginV1;
  readonly abort: AbortController;
  connection?: FocusConnectionV1;
  members?: readonly FocusMemberV1[];
}

function sameMembers(a: readonly FocusMemberV1[], b: readonly FocusMemberV1[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (member, index) =>
        member.memberId === b[index]?.memberId &&
        member.userId === b[index]?.userId &&
        member.transports.length === b[index]?.transports.length &&
        member.transports.every((t, i) => {
          const other = b[index]?.transports[i];
          return other !== undefined && transportsEqual(t, other);
        }),
    )
  );
}

/**
 * Keeps at most one focus connection in line with a desired {@link FocusTarget}.
 *
 * @remarks Reconnects only when the transport changes (`transportsEqual`), never merely because
 * the member that chose it left (element-call#3344); otherwise forwards member changes with
 * `updateMembers`. Work is serialised; a newer target aborts an in-flight connect. A transport
 * whose connect failed is not retried until the target transport changes or `retry()` is called.
 * @example
 * ```ts
 * const focus = createFocusController({ roomId, slotId, pluginFor: (type) => plugins.get(type), onError });
 * focus.setTarget({ transport, members, localMember, leavePort, matrix });
 * ```
 */
export function createFocusController(options: FocusControllerOptions) {
  let desired: FocusTarget | undefined;
  let current: Current | undefined;
  let failed: RtcTransport | undefined;
  let delegation: { readonly delayId: string; readonly delayMs: number } | undefined;
  let running: Promise<void> | undefined;
  let dirty = false;

  const report = (error: unknown, focusType: string): void => options.onError(error, focusType);

  function delegate(connection: FocusConnectionV1, focusType: string): void {
    if (delegation === undefined || connection.delegateDelayedLeave === undefined) return;
    connection.delegateDelayedLeave(delegation).catch((error) => report(error, focusType));
  }

  async function disconnect(): Promise<void> {
    const closing = current;
    if (closing === undefined) return;
    current = undefined;
    closing.abort.abort();
    if (closing.connection !== undefined) {
      await closing.connection.close().catch((error) => report(error, closing.transport.type));
      options.onConnectionChanged?.(undefined, undefined);
    }
  }

  async function step(): Promise<void> {
    const target = desired;
    if (current !== undefined) {
      const keep =
        target !== undefined &&
        transportsEqual(current.transport, target.transport) &&
        options.pluginFor(target.transport.type) === current.plugin;
      if (!keep) await disconnect();
    }
    if (target === undefined) return;
    if (current?.connection !== undefined) {
      if (current.members === undefined || !sameMembers(current.members, target.members)) {
        current.members = target.members;
        try {
          current.connection.updateMembers(target.members);
        } catch (error) {
          report(error, target.transport.type);
        }
      }
      return;
    }
    if (failed !== undefined && transportsEqual(failed, target.transport)) return;
    const plugin = options.pluginFor(target.transport.type);
    if (plugin === undefined) return;
    const entry: Current = { transport: target.transport, plugin, abort: new AbortController() };
    current = entry;
    let connection: FocusConnectionV1;
    try {
      connection = await plugin.connect({
        transport: target.transport,
        roomId: options.roomId,
        slotId: options.slotId,
        localMember: target.localMember,
        members: target.members,
        leavePort: target.leavePort,
        matrix: target.matrix,
        signal: entry.abort.signal,
      });
    } catch (error) {
      if (current === entry) current = undefined;
      if (!entry.abort.signal.aborted) {
        failed = target.transport;
        report(error, target.transport.type);
      }
      return;
    }
    if (current !== entry || entry.abort.signal.aborted) {
      await connection.close().catch(() => undefined);
      return;
    }
    entry.connection = connection;
    entry.members = target.members;
    connection.ready.catch((error) => {
      if (current === entry) report(error, target.transport.type);
    });
    delegate(connection, target.transport.type);
    options.onConnectionChanged?.(connection, target.transport);
  }

  function reconcile(): Promise<void> {
    if (running !== undefined) {
      dirty = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          dirty = false;
          await step();
        } while (dirty);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    /** Set what to be connected to; resolves when the controller has caught up. */
    setTarget(target: FocusTarget | undefined): Promise<void> {
      if (
        target === undefined ||
        failed === undefined ||
        !transportsEqual(failed, target.transport)
      )
        failed = undefined;
      desired = target;
      if (
        current !== undefined &&
        current.connection === undefined &&
        (target === undefined || !transportsEqual(current.transport, target.transport))
      ) {
        current.abort.abort();
      }
      return reconcile();
    },
    /** A plugin was registered: try again, also a transport whose connect failed. */
    retry(): Promise<void> {
      failed = undefined;
      return reconcile();
    },
    /** Hand a (new) delay id to the connection, if it supports delegation. */
    delegate(next: { readonly delayId: string; readonly delayMs: number }): void {
      delegation = { delayId: next.delayId, delayMs: next.delayMs };
      if (current?.connection !== undefined) delegate(current.connection, current.transport.type);
    },
    /** The open connection, if any. */
    get connection(): FocusConnectionV1 | undefined {
      return current?.connection;
    },
    /** The transport of the open (or opening) connection. */
    get transport(): RtcTransport | undefined {
      return current?.transport;
    },
    /** Disconnect and forget the target. */
    async close(): Promise<void> {
      desired = undefined;
      delegation = undefined;
      current?.abort.abort();
      await reconcile();
    },
  };
}

/** The controller returned by {@link createFocusController}. */
export type FocusController = ReturnType<typeof createFocusController>;
