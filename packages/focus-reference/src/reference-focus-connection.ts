import type { FocusConnectionV1, FocusMemberV1, LeavePortV1 } from "@mxrtc/focus";
import { createListenerRegistry } from "./listener-registry.js";
import type { ReferenceFocusController } from "./reference-focus-controller.js";
import { type ControllerInternals, controllerInternals } from "./reference-focus-controller.js";

/**
 * The state of a {@link ReferenceFocusConnection}: `"connected"` until the controller loses it
 * (`"lost"`) or the host closes it (`"closed"`, final).
 *
 * @example
 * ```ts
 * const state: ReferenceFocusConnectionState = "connected";
 * ```
 */
export type ReferenceFocusConnectionState = "connected" | "lost" | "closed";

/**
 * A connection of the reference focus: a {@link FocusConnectionV1} that also shows its
 * participants and state, for tests and the `mxrtc join` command line.
 *
 * @example
 * ```ts
 * import type { ReferenceFocusConnection } from "@mxrtc/focus-reference";
 *
 * function who(connection: ReferenceFocusConnection): string[] {
 *   return connection.participants.map((member) => member.userId);
 * }
 * ```
 */
export interface ReferenceFocusConnection extends FocusConnectionV1 {
  /** The remote members the focus carries "media" for, in the order they joined. */
  readonly participants: readonly FocusMemberV1[];
  /** Where the connection is in its life. */
  readonly state: ReferenceFocusConnectionState;
}

/** Keeps well-formed members other than the local one, by member id (internal). */
function membersById(members: unknown, localMemberId: string): Map<string, FocusMemberV1> {
  const byId = new Map<string, FocusMemberV1>();
  if (!Array.isArray(members)) return byId;
  for (const member of members as readonly unknown[]) {
    if (typeof member !== "object" || member === null) continue;
    const candidate = member as Partial<FocusMemberV1>;
    if (typeof candidate.memberId !== "string" || candidate.memberId === localMemberId) continue;
    if (typeof candidate.userId !== "string" || typeof candidate.deviceId !== "string") continue;
    byId.set(candidate.memberId, candidate as FocusMemberV1);
  }
  return byId;
}

/** Opens a reference connection (internal; the plugin has validated the options). */
export function openReferenceConnection(input: {
  readonly members: readonly FocusMemberV1[];
  readonly localMemberId: string;
  readonly leavePort: LeavePortV1;
  readonly controller: ReferenceFocusController | undefined;
}): ReferenceFocusConnection {
  const listeners = createListenerRegistry();
  const control: ControllerInternals | undefined =
    input.controller === undefined ? undefined : controllerInternals(input.controller);
  let participants = membersById(input.members, input.localMemberId);
  let state: ReferenceFocusConnectionState = "connected";

  const controlled = {
    lose(reason: string, message: string | undefined) {
      if (state !== "connected") return;
      state = "lost";
      const gone = [...participants.values()];
      participants = new Map();
      for (const member of gone) {
        listeners.emit("participant-left", { member, participantId: member.memberId });
      }
      input.leavePort.reportDisconnect(message === undefined ? { reason } : { reason, message });
    },
  };
  control?.connections.add(controlled);

  return {
    ready: Promise.resolve(),
    get participants() {
      return [...participants.values()];
    },
    get state() {
      return state;
    },
    updateMembers(members) {
      if (state !== "connected") return;
      const next = membersById(members, input.localMemberId);
      const previous = participants;
      participants = next;
      for (const [memberId, member] of previous) {
        if (!next.has(memberId)) {
          listeners.emit("participant-left", { member, participantId: memberId });
        }
      }
      for (const [memberId, member] of next) {
        if (!previous.has(memberId)) {
          listeners.emit("participant-joined", { member, participantId: memberId });
        }
      }
    },
    on(event, listener) {
      if (state === "closed") return () => {};
      return listeners.add(event, listener);
    },
    async close() {
      if (state === "closed") return;
      state = "closed";
      control?.connections.delete(controlled);
      listeners.clear();
      participants = new Map();
    },
  };
}
