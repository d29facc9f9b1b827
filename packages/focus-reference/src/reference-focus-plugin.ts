import { type FocusConnectOptionsV1, FocusError, type FocusPluginV1 } from "@mxrtc/focus";
import {
  openReferenceConnection,
  type ReferenceFocusConnection,
} from "./reference-focus-connection.js";
import {
  controllerInternals,
  type ReferenceFocusController,
} from "./reference-focus-controller.js";

/**
 * The transport type the reference focus serves unless told otherwise.
 *
 * @example
 * ```ts
 * import { REFERENCE_FOCUS_TYPE } from "@mxrtc/focus-reference";
 * const transport = { type: REFERENCE_FOCUS_TYPE }; // { type: "io.mxrtc.reference" }
 * ```
 */
export const REFERENCE_FOCUS_TYPE = "io.mxrtc.reference";

/**
 * Options for {@link createReferenceFocusPlugin}.
 *
 * @example
 * ```ts
 * const options: ReferenceFocusPluginOptions = { focusType: "livekit" };
 * ```
 */
export interface ReferenceFocusPluginOptions {
  /**
   * The transport type to serve. Default `"io.mxrtc.reference"`. Set it to another type
   * (`"livekit"`, `"full_mesh"`) to stand in for that focus without any media.
   */
  readonly focusType?: string;
  /**
   * Remote control for tests: lose open connections or refuse new ones. Default: none (the
   * connection never fails on its own).
   */
  readonly controller?: ReferenceFocusController;
}

/**
 * The reference focus plugin: a {@link FocusPluginV1} whose `connect` resolves with a
 * {@link ReferenceFocusConnection}.
 *
 * @example
 * ```ts
 * import { createReferenceFocusPlugin, type ReferenceFocusPlugin } from "@mxrtc/focus-reference";
 *
 * const plugin: ReferenceFocusPlugin = createReferenceFocusPlugin({ focusType: "full_mesh" });
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface ReferenceFocusPlugin extends FocusPluginV1 {
  connect(options: FocusConnectOptionsV1): Promise<ReferenceFocusConnection>;
}

/**
 * Creates the reference focus: a MatrixRTC focus plugin that carries no media, for tests and
 * headless members (`mxrtc join`).
 *
 * @remarks Behaviour, in full:
 * - `connect` rejects with `FocusError` code `"aborted"` when the signal is already aborted,
 *   `"unsupported-transport"` when the transport's type is not `focusType`, or the controller's
 *   refusal code; otherwise it resolves with a connection whose `ready` is already resolved.
 * - The members given at connect are the starting participants (no events for them; read
 *   `participants`). `updateMembers` emits `participant-left`, then `participant-joined`, for the
 *   difference by `memberId` (the `participantId`); the local member and malformed entries are
 *   ignored. No track events: there is no media.
 * - `controller.loseConnection(reason)` makes each open connection emit `participant-left` for
 *   everyone and call its leave port exactly once; the connection then ignores `updateMembers`.
 * - `close()` is idempotent, never calls the leave port and drops every listener. The plugin
 *   uses no timer, to-device listener or abort listener at all. It passes the
 *   `@mxrtc/focus-testkit` conformance suite.
 *
 * @example
 * ```ts
 * import { createReferenceFocusPlugin } from "@mxrtc/focus-reference";
 * import { createFakeFocusMatrixPort, createFakeLeavePort } from "@mxrtc/focus-testkit";
 *
 * const plugin = createReferenceFocusPlugin();
 * const connection = await plugin.connect({
 *   transport: { type: "io.mxrtc.reference" },
 *   roomId: "!room:example.org",
 *   slotId: "m.call#ROOM",
 *   localMember: { userId: "@alice:example.org", deviceId: "ALICE", memberId: "alice-1" },
 *   members: [],
 *   leavePort: createFakeLeavePort(),
 *   matrix: createFakeFocusMatrixPort(),
 *   signal: new AbortController().signal,
 * });
 * connection.on("participant-joined", ({ member }) => console.log(`${member.userId} joined`));
 * connection.updateMembers([
 *   { userId: "@bob:example.org", deviceId: "BOB", memberId: "bob-1", transports: [] },
 * ]); // logs "@bob:example.org joined"
 * await connection.close();
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function createReferenceFocusPlugin(
  options: ReferenceFocusPluginOptions = {},
): ReferenceFocusPlugin {
  const focusType = options.focusType ?? REFERENCE_FOCUS_TYPE;
  const controller = options.controller;
  if (controller !== undefined) controllerInternals(controller); // fail fast on a foreign object
  const fail = (message: string, code: string, cause?: unknown): FocusError =>
    new FocusError(message, cause === undefined ? { code, focusType } : { code, focusType, cause });

  return {
    specificationVersion: "v1",
    focusType,
    async connect(connectOptions) {
      if (connectOptions.signal.aborted) {
        throw fail("connect was aborted", "aborted", connectOptions.signal.reason);
      }
      const transportType: unknown = connectOptions.transport?.type;
      if (transportType !== focusType) {
        throw fail(
          `the reference focus serves "${focusType}", not "${String(transportType)}"`,
          "unsupported-transport",
        );
      }
      const refusal =
        controller === undefined ? undefined : controllerInternals(controller).refusalCode;
      if (refusal !== undefined) throw fail("the controller refuses connections", refusal);
      return openReferenceConnection({
        members: connectOptions.members,
        localMemberId: connectOptions.localMember.memberId,
        leavePort: connectOptions.leavePort,
        controller,
      });
    },
  };
}
