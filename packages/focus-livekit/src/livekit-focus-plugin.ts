import type { FocusConnectOptionsV1, FocusOpenIdTokenV1, FocusPluginV1 } from "@mxrtc/focus";
import { delegateLivekitDelayedLeave } from "./delegate-delayed-leave.js";
import { type LivekitFocusConnection, openLivekitConnection } from "./livekit-focus-connection.js";
import { LivekitFocusError } from "./livekit-focus-error.js";
import { memberIdentities } from "./member-identities.js";
import type { FetchLike } from "./post-json.js";
import { type LivekitTokenEndpoint, requestLivekitToken } from "./request-livekit-token.js";
import { type CreateRoom, createLivekitClientRoom, type LocalTrackLike } from "./room-like.js";

/**
 * The transport type the LiveKit focus serves.
 *
 * @example
 * ```ts
 * const transport = { type: LIVEKIT_FOCUS_TYPE, livekit_service_url: "https://livekit-jwt.example.org" };
 * ```
 */
export const LIVEKIT_FOCUS_TYPE = "livekit";

/**
 * Which local tracks to publish: the tracks themselves (the caller keeps owning them), or a
 * function that gets them when the room is connected (the connection then owns them and stops
 * them on `close()`).
 *
 * @example
 * ```ts
 * import { createLocalTracks } from "livekit-client";
 * const publish: LivekitPublish = ({ signal }) => createLocalTracks({ audio: true, video: true });
 * ```
 */
export type LivekitPublish =
  | readonly LocalTrackLike[]
  | ((context: {
      readonly signal: AbortSignal;
    }) => Promise<readonly LocalTrackLike[]> | readonly LocalTrackLike[]);

/**
 * Options for {@link createLivekitFocusPlugin}.
 *
 * @example
 * ```ts
 * const options: LivekitFocusPluginOptions = { tokenEndpoint: "auto", requestTimeoutMs: 10_000 };
 * ```
 */
export interface LivekitFocusPluginOptions {
  /**
   * Local tracks to publish once connected. Default: none, so a headless member never opens a
   * camera or microphone; pass `() => createLocalTracks({ audio: true, video: true })` for a call.
   */
  readonly publish?: LivekitPublish;
  /** Which token endpoint to call; see {@link LivekitTokenEndpoint}. Default `"auto"`. */
  readonly tokenEndpoint?: LivekitTokenEndpoint;
  /** Creates the room. Default: livekit-client's `new Room(roomOptions)`, imported on first connect. */
  readonly createRoom?: CreateRoom;
  /** Passed to `createRoom` (livekit-client `RoomOptions`). Default `{}` (auto-subscribe on). */
  readonly roomOptions?: Readonly<Record<string, unknown>>;
  /** Used for the token service. Default `globalThis.fetch`. */
  readonly fetch?: FetchLike;
  /** Time limit of each token-service request. Default `10000` ms. */
  readonly requestTimeoutMs?: number;
}

/**
 * The LiveKit focus plugin: a {@link FocusPluginV1} whose `connect` resolves with a
 * {@link LivekitFocusConnection}.
 *
 * @example
 * ```ts
 * const plugin: LivekitFocusPlugin = createLivekitFocusPlugin();
 * ```
 */
export interface LivekitFocusPlugin extends FocusPluginV1 {
  connect(options: FocusConnectOptionsV1): Promise<LivekitFocusConnection>;
}

/**
 * Creates the LiveKit focus plugin for `{ type: "livekit", livekit_service_url }` transports.
 *
 * @remarks `connect`:
 * 1. rejects `"aborted"` for an aborted signal and `"unsupported-transport"` for another type or
 *    a missing/non-http(s) `livekit_service_url`;
 * 2. gets an OpenID token from the host's Matrix port (`"openid-failed"`) and a JWT from the
 *    service (`/get_token`, on 404 `/sfu/get`; see {@link requestLivekitToken} for the errors);
 * 3. maps every member to both possible LiveKit identities ({@link memberIdentities});
 * 4. connects the room (`"connect-failed"`; an abort disconnects it and rejects `"aborted"`) and
 *    resolves. `ready` resolves once `publish`'s tracks are published (`"publish-failed"`).
 *
 * Afterwards: remote participants whose identity maps to a member emit `participant-joined` /
 * `participant-left` (others are listed in `participants` with no member); subscribed audio and
 * video tracks emit `track-added` / `track-removed`. A `Disconnected` room event that is not
 * client-initiated — including LiveKit giving up a reconnect — calls the leave port exactly once
 * (reasons: {@link mapLivekitDisconnectReason}); a reconnect that succeeds reports nothing.
 * `close()` disconnects the room without a report. `delegateDelayedLeave` posts to the service's
 * `/delegate_delayed_leave` ({@link delegateLivekitDelayedLeave}).
 *
 * @example
 * ```ts
 * import { createLivekitFocusPlugin } from "@mxrtc/focus-livekit";
 * import { createLocalTracks } from "livekit-client";
 *
 * const plugin = createLivekitFocusPlugin({
 *   publish: () => createLocalTracks({ audio: true, video: true }),
 * });
 * // give it to the session: createRtcSession({ matrix, roomId, plugins: [plugin] })
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function createLivekitFocusPlugin(
  options: LivekitFocusPluginOptions = {},
): LivekitFocusPlugin {
  const createRoom = options.createRoom ?? createLivekitClientRoom;
  const roomOptions = options.roomOptions ?? {};
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const fetchOption = options.fetch === undefined ? {} : { fetch: options.fetch };
  const publishOption = options.publish ?? [];

  return {
    specificationVersion: "v1",
    focusType: LIVEKIT_FOCUS_TYPE,
    async connect(connectOptions) {
      const { signal, matrix } = connectOptions;
      if (signal.aborted) throw aborted(signal.reason);
      const serviceUrl = livekitServiceUrl(connectOptions.transport);
      const openIdToken = async (requestSignal: AbortSignal): Promise<FocusOpenIdTokenV1> => {
        try {
          return await matrix.requestOpenIdToken({ signal: requestSignal });
        } catch (error) {
          if (requestSignal.aborted) throw aborted(requestSignal.reason);
          throw new LivekitFocusError("the homeserver gave no OpenID token", {
            code: "openid-failed",
            cause: error,
          });
        }
      };
      const tokenRequest = {
        serviceUrl,
        roomId: connectOptions.roomId,
        slotId: connectOptions.slotId,
        member: connectOptions.localMember,
        timeoutMs,
        ...fetchOption,
      };
      const grant = await requestLivekitToken({
        ...tokenRequest,
        openIdToken: await openIdToken(signal),
        endpoint: options.tokenEndpoint ?? "auto",
        signal,
      });
      const identities = await memberIdentities(
        connectOptions.members,
        connectOptions.localMember.memberId,
      );
      if (signal.aborted) throw aborted(signal.reason);
      let room: Awaited<ReturnType<CreateRoom>>;
      try {
        room = await createRoom(roomOptions);
      } catch (error) {
        throw new LivekitFocusError("creating the LiveKit room failed", {
          code: "connect-failed",
          cause: error,
        });
      }
      if (signal.aborted) throw aborted(signal.reason); // before the room opened anything
      await connectRoom(room, grant.url, grant.jwt, signal);
      return openLivekitConnection({
        room,
        identities,
        localMemberId: connectOptions.localMember.memberId,
        leavePort: connectOptions.leavePort,
        tokenEndpoint: grant.endpoint,
        publish: async (lifetime) =>
          typeof publishOption === "function"
            ? { tracks: await publishOption({ signal: lifetime }), owned: true }
            : { tracks: publishOption, owned: false },
        delegate: async (delegation, lifetime) =>
          delegateLivekitDelayedLeave({
            ...tokenRequest,
            openIdToken: await openIdToken(lifetime),
            delayId: delegation.delayId,
            delayMs: delegation.delayMs,
            signal: lifetime,
          }),
      });
    },
  };
}

function aborted(cause: unknown): LivekitFocusError {
  return new LivekitFocusError("connect was aborted", { code: "aborted", cause });
}

/** The transport's `livekit_service_url` without a trailing slash, or a typed error (internal). */
function livekitServiceUrl(transport: FocusConnectOptionsV1["transport"]): string {
  const type: unknown = transport?.type;
  if (type !== LIVEKIT_FOCUS_TYPE) {
    throw new LivekitFocusError(`the LiveKit focus serves "livekit", not "${String(type)}"`, {
      code: "unsupported-transport",
    });
  }
  const url: unknown = transport.livekit_service_url;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new LivekitFocusError(
      `the livekit transport has no http(s) livekit_service_url: ${JSON.stringify(url)}`,
      { code: "unsupported-transport" },
    );
  }
  return (url as string).replace(/\/+$/, "");
}

/** Connects the room; on failure or abort disconnects it and throws typed (internal). */
async function connectRoom(
  room: Awaited<ReturnType<CreateRoom>>,
  url: string,
  jwt: string,
  signal: AbortSignal,
): Promise<void> {
  let onAbort: (() => void) | undefined;
  const abortion = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(aborted(signal.reason));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  const attempt = room.connect(url, jwt);
  attempt.catch(() => undefined);
  try {
    await Promise.race([attempt, abortion]);
  } catch (error) {
    await room.disconnect().catch(() => undefined);
    if (LivekitFocusError.isInstance(error)) throw error;
    const detail = error instanceof Error ? `: ${error.message}` : "";
    throw new LivekitFocusError(`connecting to the LiveKit SFU at ${url} failed${detail}`, {
      code: "connect-failed",
      cause: error,
    });
  } finally {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
  }
}
