/**
 * Local declaration of the focus plugin specification (`FocusPluginV1` and friends) as agreed for
 * `@mxrtc/focus`. It is replaced by re-exports from `@mxrtc/focus` once those land there; the
 * shapes are identical, so plugins written against either are interchangeable (structural types).
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
import type { LeavePortV1 } from "@mxrtc/focus";

/** A transport as a plugin sees it: `type` plus whatever the membership carried. */
export interface FocusTransportV1 {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** A remote call member as a plugin sees it. */
export interface FocusMemberV1 {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
  readonly transports: readonly FocusTransportV1[];
}

/** Narrow Matrix access a plugin gets: OpenID tokens (SFU auth) and to-device messages (mesh signalling). */
export interface FocusMatrixPortV1 {
  readonly userId: string;
  readonly deviceId: string;
  readonly homeserverBaseUrl: string;
  requestOpenIdToken(options?: { signal?: AbortSignal }): Promise<{
    access_token: string;
    token_type: string;
    matrix_server_name: string;
    expires_in: number;
  }>;
  sendToDevice(
    eventType: string,
    messages: Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  onToDevice(
    listener: (event: { type: string; sender: string; content: Record<string, unknown> }) => void,
  ): () => void;
}

/** What a plugin gets to connect. */
export interface FocusConnectOptionsV1 {
  /** The active transport this plugin must connect to. */
  readonly transport: FocusTransportV1;
  readonly roomId: string;
  readonly slotId: string;
  readonly localMember: {
    readonly userId: string;
    readonly deviceId: string;
    readonly memberId: string;
  };
  /** Remote members at connect time (the session calls `updateMembers` later). */
  readonly members: readonly FocusMemberV1[];
  readonly leavePort: LeavePortV1;
  readonly matrix: FocusMatrixPortV1;
  /** Aborts an in-flight connect. */
  readonly signal: AbortSignal;
}

/** Events of a live focus connection. */
export interface FocusConnectionEventsV1 {
  "participant-joined": { readonly member: FocusMemberV1; readonly participantId: string };
  "participant-left": { readonly member: FocusMemberV1; readonly participantId: string };
  "track-added": {
    readonly participantId: string;
    readonly kind: "audio" | "video";
    readonly trackId: string;
  };
  "track-removed": { readonly participantId: string; readonly trackId: string };
}

/** A live connection to one focus. */
export interface FocusConnectionV1 {
  /** Resolves when media can flow; rejects with a `FocusError`. */
  readonly ready: Promise<void>;
  updateMembers(members: readonly FocusMemberV1[]): void;
  /** An SFU-side service takes over the delayed leave. */
  delegateDelayedLeave?(delegation: {
    readonly delayId: string;
    readonly delayMs: number;
  }): Promise<void>;
  on<E extends keyof FocusConnectionEventsV1>(
    event: E,
    listener: (payload: FocusConnectionEventsV1[E]) => void,
  ): () => void;
  /** Idempotent; afterwards no timer, listener or leavePort call. */
  close(): Promise<void>;
}

/** A focus plugin: serves one transport `type`. */
export interface FocusPluginV1 {
  readonly specificationVersion: "v1";
  /** The transport `type` it serves. */
  readonly focusType: string;
  connect(options: FocusConnectOptionsV1): Promise<FocusConnectionV1>;
}
