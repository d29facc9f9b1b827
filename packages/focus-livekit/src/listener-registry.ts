import type { FocusConnectionEventsV1 } from "@mxrtc/focus";

type Listener = (payload: never) => void;

/** Event listeners of one connection (internal). */
export interface ListenerRegistry {
  add<E extends keyof FocusConnectionEventsV1>(
    event: E,
    listener: (payload: FocusConnectionEventsV1[E]) => void,
  ): () => void;
  emit<E extends keyof FocusConnectionEventsV1>(
    event: E,
    payload: FocusConnectionEventsV1[E],
  ): void;
  clear(): void;
}

/**
 * Creates a listener registry. Listeners run synchronously in subscription order; one that
 * throws does not stop the others, and its error is rethrown on a microtask.
 */
export function createListenerRegistry(): ListenerRegistry {
  const listeners = new Map<keyof FocusConnectionEventsV1, Set<Listener>>();
  return {
    add(event, listener) {
      const wrapped: Listener = (payload) => listener(payload);
      let set = listeners.get(event);
      if (set === undefined) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(wrapped);
      return () => {
        listeners.get(event)?.delete(wrapped);
      };
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          (listener as (value: typeof payload) => void)(payload);
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}
