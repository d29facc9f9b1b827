import type { FocusConnectionV1 } from "./focus-connection.js";
import type { FocusMatrixPortV1 } from "./focus-matrix-port.js";
import type { LeavePortV1 } from "./leave-port.js";

/**
 * A MatrixRTC transport as a focus sees it: a `type` plus whatever fields that type defines.
 *
 * @remarks Structurally the same as `RtcTransport` in `@mxrtc/types`, repeated here so a plugin
 * depends on `@mxrtc/focus` alone. Hosts pass transports verbatim from the membership events,
 * so a plugin validates the fields it needs and rejects with `FocusError` (code
 * `"unsupported-transport"`) when they are missing.
 *
 * @example
 * ```ts
 * const transport: FocusTransportV1 = {
 *   type: "livekit",
 *   livekit_service_url: "https://livekit-jwt.example.org",
 * };
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface FocusTransportV1 {
  /** The transport type this focus serves, e.g. `"livekit"` or `"io.mxrtc.mediasoup"`. */
  readonly type: string;
  /** Type-specific fields, verbatim from the membership event. */
  readonly [key: string]: unknown;
}

/**
 * One remote MatrixRTC member in the slot, as the host tells the focus about it.
 *
 * @example
 * ```ts
 * const member: FocusMemberV1 = {
 *   userId: "@bob:example.org",
 *   deviceId: "BOBDEVICE",
 *   memberId: "@bob:example.org:BOBDEVICE",
 *   transports: [{ type: "livekit", livekit_service_url: "https://livekit-jwt.example.org" }],
 * };
 * ```
 */
export interface FocusMemberV1 {
  /** The member's Matrix user id. */
  readonly userId: string;
  /** The member's device id. */
  readonly deviceId: string;
  /** The per-join membership id (unique per member of the slot). */
  readonly memberId: string;
  /** The transports the member published, most preferred first. */
  readonly transports: readonly FocusTransportV1[];
}

/**
 * Everything a focus gets when the host connects it.
 *
 * @remarks The focus may use only what is in here: the transport to connect to, who is in the
 * slot, a {@link LeavePortV1} to report terminal loss, a narrow {@link FocusMatrixPortV1} and an
 * abort signal for the connect attempt. It never imports the leave scheduler, the state reducer
 * or the session.
 *
 * @example
 * ```ts
 * import type { FocusConnectOptionsV1, FocusMatrixPortV1, LeavePortV1 } from "@mxrtc/focus";
 *
 * declare const leavePort: LeavePortV1;
 * declare const matrix: FocusMatrixPortV1;
 * const options: FocusConnectOptionsV1 = {
 *   transport: { type: "io.mxrtc.reference" },
 *   roomId: "!room:example.org",
 *   slotId: "m.call#ROOM",
 *   localMember: { userId: "@alice:example.org", deviceId: "ALICE", memberId: "m1" },
 *   members: [],
 *   leavePort,
 *   matrix,
 *   signal: new AbortController().signal,
 * };
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface FocusConnectOptionsV1 {
  /** The active transport this plugin must connect to; its `type` equals the plugin's `focusType`. */
  readonly transport: FocusTransportV1;
  /** The Matrix room of the call. */
  readonly roomId: string;
  /** The slot, always `application#id`, e.g. `"m.call#ROOM"`. */
  readonly slotId: string;
  /** This client's own membership. */
  readonly localMember: {
    readonly userId: string;
    readonly deviceId: string;
    readonly memberId: string;
  };
  /** The remote members at connect time; the host calls `updateMembers` later. */
  readonly members: readonly FocusMemberV1[];
  /** Where to report terminal loss, exactly once. */
  readonly leavePort: LeavePortV1;
  /** OpenID tokens and to-device messages. */
  readonly matrix: FocusMatrixPortV1;
  /** Aborts an in-flight connect: `connect` then rejects with a `FocusError`. */
  readonly signal: AbortSignal;
}

/**
 * A focus plugin: the object a host uses to carry a call's media over one transport type.
 *
 * @remarks `connect` resolves with a {@link FocusConnectionV1} (it need not wait for media:
 * that is what `ready` is for) or rejects with a `FocusError` whose `code` says why, e.g.
 * `"connect-failed"`, `"unauthorized"`, `"unsupported-transport"` or `"aborted"`. A rejected
 * connect leaves nothing behind: no timer, no listener, no leave-port call.
 *
 * Plugins are plain objects created by a factory (`createXFocusPlugin(options)`), hold no global
 * state, and are proved with `describeFocusPluginConformance` from `@mxrtc/focus-testkit`.
 *
 * This interface is a versioned specification: it never changes after release. A breaking idea
 * becomes `FocusPluginV2` plus an adapter in the host.
 *
 * @example
 * ```ts
 * import { FocusError, type FocusPluginV1 } from "@mxrtc/focus";
 *
 * export const echoFocus: FocusPluginV1 = {
 *   specificationVersion: "v1",
 *   focusType: "com.example.echo",
 *   async connect(options) {
 *     if (options.signal.aborted) {
 *       throw new FocusError("aborted", { code: "aborted", focusType: "com.example.echo" });
 *     }
 *     return {
 *       ready: Promise.resolve(),
 *       updateMembers() {},
 *       on: () => () => {},
 *       async close() {},
 *     };
 *   },
 * };
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface FocusPluginV1 {
  /** The version of this specification; always `"v1"`. */
  readonly specificationVersion: "v1";
  /** The transport `type` this plugin serves, e.g. `"livekit"`. */
  readonly focusType: string;
  /** Connects to `options.transport`; rejects with a `FocusError`. */
  connect(options: FocusConnectOptionsV1): Promise<FocusConnectionV1>;
}

/**
 * True when `value` looks like a {@link FocusPluginV1}: an object with
 * `specificationVersion: "v1"`, a non-empty string `focusType` and a `connect` function.
 *
 * @remarks A host uses it to reject a plugin written against another version of the
 * specification with a clear message instead of a crash. It checks the shape only, not behaviour
 * (that is the conformance suite's job).
 *
 * @example
 * ```ts
 * import { isFocusPluginV1 } from "@mxrtc/focus";
 *
 * declare const candidate: unknown;
 * if (!isFocusPluginV1(candidate)) throw new TypeError("not a v1 focus plugin");
 * candidate.focusType; // string
 * ```
 */
export function isFocusPluginV1(value: unknown): value is FocusPluginV1 {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Record<keyof FocusPluginV1, unknown>>;
  return (
    candidate.specificationVersion === "v1" &&
    typeof candidate.focusType === "string" &&
    candidate.focusType.length > 0 &&
    typeof candidate.connect === "function"
  );
}
