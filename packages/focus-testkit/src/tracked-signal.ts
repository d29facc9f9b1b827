/** An abort signal whose `"abort"` listeners are counted (internal to the suite). */
export interface TrackedSignal {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  readonly abortListenerCount: number;
}

type Listener = EventListenerOrEventListenerObject;

/**
 * Creates an `AbortController` whose signal counts `"abort"` listeners added and removed through
 * `addEventListener` / `removeEventListener` (including `{ once }` and `{ signal }` removal).
 */
export function createTrackedSignal(): TrackedSignal {
  const controller = new AbortController();
  const signal = controller.signal;
  const listeners = new Set<Listener>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);

  Object.defineProperty(signal, "addEventListener", {
    configurable: true,
    value(type: string, listener: Listener | null, options?: boolean | AddEventListenerOptions) {
      if (type === "abort" && listener !== null) {
        listeners.add(listener);
        if (typeof options === "object" && options.signal !== undefined) {
          options.signal.addEventListener("abort", () => listeners.delete(listener), {
            once: true,
          });
        }
      }
      if (listener !== null) add(type, listener, options);
    },
  });
  Object.defineProperty(signal, "removeEventListener", {
    configurable: true,
    value(type: string, listener: Listener | null, options?: boolean | EventListenerOptions) {
      if (type === "abort" && listener !== null) listeners.delete(listener);
      if (listener !== null) remove(type, listener, options);
    },
  });
  return {
    controller,
    signal,
    get abortListenerCount() {
      return listeners.size;
    },
  };
}
