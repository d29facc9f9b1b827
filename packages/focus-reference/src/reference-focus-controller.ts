import type { DisconnectReason } from "@mxrtc/focus";

/**
 * Test-side remote control of reference focus connections: lose them, or refuse new ones.
 *
 * @remarks Pass the same controller to {@link createReferenceFocusPlugin} (as `controller`) and
 * keep it in the test. It plays the part of the SFU: `loseConnection` is what a dead SFU or a
 * failed ICE restart looks like to a media focus.
 *
 * @example
 * ```ts
 * import { createReferenceFocusController } from "@mxrtc/focus-reference";
 *
 * const controller = createReferenceFocusController();
 * controller.refuseConnections("unauthorized"); // the next connect rejects: FocusError "unauthorized"
 * controller.acceptConnections();
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface ReferenceFocusController {
  /**
   * Every open connection of plugins using this controller loses the call for good: it emits
   * `participant-left` for each participant, then calls its leave port once with `reason`
   * (default `"media-connection-lost"`) and `message`. Closed or already lost connections are
   * untouched; new connections after this are not affected.
   */
  loseConnection(reason?: DisconnectReason, message?: string): void;
  /** Later `connect` calls reject with a `FocusError` of `code` (default `"connect-failed"`). */
  refuseConnections(code?: string): void;
  /** Later `connect` calls succeed again (the initial behaviour). */
  acceptConnections(): void;
  /** How many connections are open and not lost. */
  readonly openConnections: number;
}

/** What a connection registers with its controller (internal). */
export interface ControlledConnection {
  lose(reason: DisconnectReason, message: string | undefined): void;
}

/** The controller's hidden side, used by the plugin (internal). */
export interface ControllerInternals {
  readonly connections: Set<ControlledConnection>;
  refusalCode: string | undefined;
}

const internals = new WeakMap<ReferenceFocusController, ControllerInternals>();

/** The hidden side of a controller made by {@link createReferenceFocusController}. */
export function controllerInternals(controller: ReferenceFocusController): ControllerInternals {
  const found = internals.get(controller);
  if (found === undefined) {
    throw new TypeError("controller was not created by createReferenceFocusController()");
  }
  return found;
}

/**
 * Creates a {@link ReferenceFocusController}.
 *
 * @example
 * ```ts
 * import {
 *   createReferenceFocusController,
 *   createReferenceFocusPlugin,
 * } from "@mxrtc/focus-reference";
 *
 * const controller = createReferenceFocusController();
 * const plugin = createReferenceFocusPlugin({ controller });
 * // … connect through a session, then make the "media" die:
 * controller.loseConnection("server-left", "SFU shut down");
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function createReferenceFocusController(): ReferenceFocusController {
  const state: ControllerInternals = { connections: new Set(), refusalCode: undefined };
  const controller: ReferenceFocusController = {
    loseConnection(reason = "media-connection-lost", message) {
      const connections = [...state.connections];
      state.connections.clear();
      for (const connection of connections) connection.lose(reason, message);
    },
    refuseConnections(code = "connect-failed") {
      state.refusalCode = code;
    },
    acceptConnections() {
      state.refusalCode = undefined;
    },
    get openConnections() {
      return state.connections.size;
    },
  };
  internals.set(controller, state);
  return controller;
}
