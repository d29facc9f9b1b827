import type { RtcSessionRecord } from "@mxrtc/state";
import type { RtcTransport } from "@mxrtc/types";
import type { SessionError } from "./session-error.js";
import type { SessionMembership } from "./session-membership.js";

/**
 * Our own participation: `left` (not in the call), `joining` (delayed leave being armed,
 * membership being sent), `joined`, `leaving`.
 *
 * @example
 * ```ts
 * session.on("join-state-changed", ({ joinState }) => setBusy(joinState === "joining"));
 * ```
 */
export type JoinState = "left" | "joining" | "joined" | "leaving";

/**
 * Payloads of the session's events, by name.
 *
 * @example
 * ```ts
 * session.on("memberships-changed", ({ memberships }) => render(memberships));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RtcSessionEventMap {
  /** The active members of the slot (or their focus status) changed. */
  "memberships-changed": {
    readonly memberships: readonly SessionMembership[];
    readonly previous: readonly SessionMembership[];
  };
  /** The transport we connect to (or would) changed. */
  "transport-changed": {
    readonly transport: RtcTransport | undefined;
    readonly previous: RtcTransport | undefined;
  };
  /** Our own participation changed. */
  "join-state-changed": { readonly joinState: JoinState; readonly previous: JoinState };
  /** The slot went from at least one member to none: the call ended. */
  "session-ended": { readonly session: RtcSessionRecord | undefined };
  /** Something failed; `fatal: true` means we are out of the call. */
  error: { readonly error: SessionError; readonly fatal: boolean };
}

/** The names of {@link RtcSessionEventMap}. */
export type RtcSessionEventName = keyof RtcSessionEventMap;

/** A listener for one session event. */
export type RtcSessionListener<Name extends RtcSessionEventName> = (
  payload: RtcSessionEventMap[Name],
) => void;

/** A minimal typed emitter (internal); a throwing listener cannot break the session. */
export function createSessionEmitter() {
  const listeners = new Map<RtcSessionEventName, Set<(payload: never) => void>>();
  return {
    on<Name extends RtcSessionEventName>(
      name: Name,
      listener: RtcSessionListener<Name>,
    ): () => void {
      let set = listeners.get(name);
      if (set === undefined) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener as (payload: never) => void);
      return () => {
        set.delete(listener as (payload: never) => void);
      };
    },
    emit<Name extends RtcSessionEventName>(name: Name, payload: RtcSessionEventMap[Name]): void {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as RtcSessionListener<Name>)(payload);
        } catch {
          // A throwing listener must not break the session.
        }
      }
    },
    clear(): void {
      listeners.clear();
    },
  };
}
