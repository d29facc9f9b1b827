import type { FocusMatrixPortV1 } from "@mxrtc/focus";
import type { MatrixPort, ToDeviceEvent } from "@mxrtc/matrix";

/** A {@link FocusMatrixPortV1} plus the session's side: feed it the to-device events of each batch. */
export interface SessionFocusMatrixPort extends FocusMatrixPortV1 {
  /** Deliver to-device events (from a sync batch) to every listener. */
  dispatchToDevice(events: readonly ToDeviceEvent[]): void;
}

/**
 * The narrow Matrix port a focus plugin gets: OpenID tokens and to-device messages only.
 *
 * @remarks To-device events reach listeners from the sync batches the session sees (owned loop or
 * external feed). A throwing listener does not stop the others.
 * @example
 * ```ts
 * const port = createFocusMatrixPort(matrix, { userId, deviceId });
 * port.onToDevice((event) => console.log(event.type, event.sender));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function createFocusMatrixPort(
  matrix: Pick<MatrixPort, "baseUrl" | "requestOpenIdToken" | "sendToDevice">,
  identity: { readonly userId: string; readonly deviceId: string },
): SessionFocusMatrixPort {
  const listeners = new Set<(event: ToDeviceEvent) => void>();
  return {
    userId: identity.userId,
    deviceId: identity.deviceId,
    homeserverBaseUrl: matrix.baseUrl,
    async requestOpenIdToken(options) {
      const token = await matrix.requestOpenIdToken(
        options?.signal === undefined ? {} : { signal: options.signal },
      );
      return { ...token };
    },
    sendToDevice(eventType, messages, options) {
      return matrix.sendToDevice(
        eventType,
        messages,
        options?.signal === undefined ? {} : { signal: options.signal },
      );
    },
    onToDevice(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatchToDevice(events) {
      for (const event of events) {
        for (const listener of [...listeners]) {
          try {
            listener({ type: event.type, sender: event.sender, content: event.content });
          } catch {
            // A throwing plugin listener must not break the sync feed.
          }
        }
      }
    },
  };
}
