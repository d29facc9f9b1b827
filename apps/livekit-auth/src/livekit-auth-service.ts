import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  DEFAULT_SLOT_ID,
  legacyLivekitIdentity,
  livekitIdentity,
  livekitRoomAlias,
} from "@mxrtc/types";
import { WebhookReceiver } from "livekit-server-sdk";
import { systemClock } from "./clock.js";
import { createDelayedEventActions } from "./delayed-event-actions.js";
import { createDelegationManager, type DelegationManager } from "./delegation-manager.js";
import type { DelegationStore, ParticipantEventName } from "./delegation-store.js";
import { createHomeserverResolver } from "./homeserver-resolver.js";
import { CORS_HEADERS, readBody, sendError, sendJson } from "./http-io.js";
import { createLivekitApi } from "./livekit-api.js";
import type { LivekitAuthConfig } from "./livekit-auth-config.js";
import { httpError, LivekitAuthError } from "./livekit-auth-error.js";
import { defaultDelegationDbPath } from "./load-config-from-env.js";
import { createLogger } from "./logger.js";
import { mintLivekitToken } from "./mint-livekit-token.js";
import {
  type DelegationFields,
  parseGetTokenRequest,
  parseJsonObject,
  parseLegacySfuRequest,
} from "./parse-requests.js";
import { createRedisDelegationStore } from "./redis-delegation-store.js";
import { createSqliteDelegationStore } from "./sqlite-delegation-store.js";
import { type VerifiedOpenIdUser, verifyOpenIdToken } from "./verify-openid-token.js";

/**
 * A running (or ready to run) auth service.
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface LivekitAuthService {
  /** Resumes stored delegation jobs, then listens (default: the configured bind, else 8080 on all interfaces). */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /**
   * Stops listening, stops jobs, closes the store it opened. `release` (default true) hands this
   * instance's jobs to other instances at once; `false` leaves them leased, as a crash would.
   */
  close(options?: { release?: boolean }): Promise<void>;
  /** Where delegation jobs are kept. */
  readonly delegations: DelegationStore;
  /** The delegation job runner. */
  readonly manager: DelegationManager;
}

const ROUTES: Readonly<Record<string, readonly string[]>> = {
  "/sfu/get": ["POST"],
  "/get_token": ["POST"],
  "/delegate_delayed_leave": ["POST"],
  "/sfu_webhook": ["POST"],
  "/healthz": ["GET", "HEAD"],
};

/** LiveKit's `DisconnectReason` enum (livekit_models.proto), by number. */
const DISCONNECT_REASONS: Readonly<Record<number, string>> = {
  1: "CLIENT_INITIATED",
  2: "DUPLICATE_IDENTITY",
  3: "SERVER_SHUTDOWN",
  4: "PARTICIPANT_REMOVED",
  5: "ROOM_DELETED",
  6: "STATE_MISMATCH",
  7: "JOIN_FAILURE",
  8: "MIGRATION",
  9: "SIGNAL_CLOSE",
  10: "ROOM_CLOSED",
  11: "USER_UNAVAILABLE",
  12: "USER_REJECTED",
  13: "SIP_TRUNK_FAILURE",
  14: "CONNECTION_TIMEOUT",
  15: "MEDIA_FAILURE",
};

const PARTICIPANT_EVENTS = new Set<string>([
  "participant_joined",
  "participant_left",
  "participant_connection_aborted",
]);

/**
 * The lk-jwt-service–compatible HTTP service: OpenID → LiveKit JWT (`/sfu/get`, `/get_token`),
 * delayed-leave delegation (`/delegate_delayed_leave` and in-band), LiveKit webhooks
 * (`/sfu_webhook`), `/healthz`; CORS `*`.
 *
 * @remarks Errors answer `{errcode, error}` with lk-jwt-service's codes; bodies over
 * `maxBodyBytes` answer 413 `M_TOO_LARGE`; nothing ever answers a stack trace.
 * @example
 * ```ts
 * const service = createLivekitAuthService(loadConfigFromEnv(process.env));
 * const { url } = await service.listen();
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export function createLivekitAuthService(config: LivekitAuthConfig): LivekitAuthService {
  const clock = config.clock ?? systemClock;
  const logger = config.logger ?? createLogger({ level: config.logLevel ?? "info" });
  const fetchImpl = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxBodyBytes = config.maxBodyBytes ?? 65_536;
  const minDelayTimeoutMs = config.minDelayTimeoutMs ?? 1;
  const fullAccess = new Set(config.fullAccessHomeservers);
  const isFullAccess = (serverName: string) => fullAccess.has("*") || fullAccess.has(serverName);
  const resolver = createHomeserverResolver({
    fetch: fetchImpl,
    clock,
    ...(config.homeserverUrlOverrides === undefined
      ? {}
      : { overrides: config.homeserverUrlOverrides }),
  });
  const livekit =
    config.livekitApi ??
    createLivekitApi({
      url: config.livekitApiUrl ?? config.livekitUrl,
      apiKey: config.apiKey,
      apiSecret: config.apiSecret,
    });
  const ownsStore = config.delegationStore === undefined;
  const store =
    config.delegationStore ??
    (config.redisUrl !== undefined
      ? createRedisDelegationStore({ url: config.redisUrl })
      : createSqliteDelegationStore({
          path: config.delegationDbPath ?? defaultDelegationDbPath(process.env),
        }));
  const manager = createDelegationManager({
    store,
    livekit,
    actions: createDelayedEventActions({ fetch: fetchImpl, clock }),
    clock,
    logger,
    instanceId: config.instanceId ?? randomUUID(),
    timing: {
      ...(config.sanityCheckIntervalMs === undefined
        ? {}
        : { sanityCheckIntervalMs: config.sanityCheckIntervalMs }),
      ...(config.leaseMs === undefined ? {} : { leaseMs: config.leaseMs }),
    },
  });
  const webhooks = new WebhookReceiver(config.apiKey, config.apiSecret);

  const authenticate = async (
    token: Parameters<typeof verifyOpenIdToken>[0],
    claimedUserId?: string,
  ) => {
    const user = await verifyOpenIdToken(token, { resolver, fetch: fetchImpl });
    if (claimedUserId !== undefined && claimedUserId !== user.userId) {
      throw httpError(
        401,
        "M_UNAUTHORIZED",
        "The request could not be authorised: claimed_user_id is not the token's user",
      );
    }
    return user;
  };
  const checkDelegation = (
    delegation: DelegationFields | undefined,
    user: VerifiedOpenIdUser,
    refusal: () => LivekitAuthError,
  ) => {
    if (delegation === undefined) return;
    if (!isFullAccess(user.serverName)) throw refusal();
    if (delegation.delayTimeoutMs < minDelayTimeoutMs) {
      throw httpError(400, "M_BAD_JSON", `delay_timeout must be at least ${minDelayTimeoutMs} ms`);
    }
  };
  const issue = async (
    user: VerifiedOpenIdUser,
    roomAlias: string,
    identity: string,
    delegation: DelegationFields | undefined,
  ) => {
    if (isFullAccess(user.serverName)) {
      try {
        await livekit.createRoom(roomAlias);
      } catch (error) {
        throw new LivekitAuthError("http", "Unable to create room on SFU", {
          status: 500,
          errcode: "M_UNKNOWN",
          cause: error,
        });
      }
    }
    const jwt = await mintLivekitToken({
      apiKey: config.apiKey,
      apiSecret: config.apiSecret,
      roomAlias,
      identity,
    });
    if (delegation !== undefined) {
      await manager.delegate({
        roomAlias,
        identity,
        ...delegation,
        homeserverUrl: user.homeserverUrl,
      });
    }
    logger.info("token issued", {
      user: user.userId,
      room: roomAlias,
      delegated: delegation !== undefined,
    });
    return { url: config.livekitUrl, jwt };
  };
  const inBandRefusal = () =>
    httpError(
      400,
      "M_BAD_JSON",
      "Delayed-leave delegation is only offered to full-access homeservers",
    );

  const handlers: Record<
    string,
    (request: IncomingMessage, response: ServerResponse) => Promise<void>
  > = {
    "/get_token": async (request, response) => {
      const body = json(await readBody(request, maxBodyBytes));
      const parsed = parseGetTokenRequest(body);
      if (!parsed.ok) throw parsed.error;
      const { value } = parsed;
      const user = await authenticate(value.openIdToken, value.member.claimedUserId);
      checkDelegation(value.delegation, user, inBandRefusal);
      const roomAlias = await livekitRoomAlias(value.roomId, value.slotId);
      const identity = await livekitIdentity(
        user.userId,
        value.member.claimedDeviceId,
        value.member.id,
      );
      sendJson(response, 200, await issue(user, roomAlias, identity, value.delegation));
    },
    "/sfu/get": async (request, response) => {
      const body = json(await readBody(request, maxBodyBytes));
      const parsed = parseLegacySfuRequest(body);
      if (!parsed.ok) throw parsed.error;
      const { value } = parsed;
      const user = await authenticate(value.openIdToken);
      checkDelegation(value.delegation, user, inBandRefusal);
      const roomAlias = await livekitRoomAlias(value.room, DEFAULT_SLOT_ID);
      const identity = legacyLivekitIdentity(user.userId, value.deviceId);
      sendJson(response, 200, await issue(user, roomAlias, identity, value.delegation));
    },
    "/delegate_delayed_leave": async (request, response) => {
      const body = json(await readBody(request, maxBodyBytes));
      const parsed = parseGetTokenRequest(body, { requireDelegation: true });
      if (!parsed.ok) throw parsed.error;
      const { value } = parsed;
      const user = await authenticate(value.openIdToken, value.member.claimedUserId);
      checkDelegation(value.delegation, user, () =>
        httpError(
          403,
          "M_FORBIDDEN",
          "Delayed-leave delegation is only offered to full-access homeservers",
        ),
      );
      const delegation = value.delegation;
      if (delegation === undefined) throw httpError(400, "M_BAD_JSON", "delay_id is required");
      const roomAlias = await livekitRoomAlias(value.roomId, value.slotId);
      const identity = await livekitIdentity(
        user.userId,
        value.member.claimedDeviceId,
        value.member.id,
      );
      await manager.delegate({
        roomAlias,
        identity,
        ...delegation,
        homeserverUrl: user.homeserverUrl,
      });
      sendJson(response, 200, {});
    },
    "/sfu_webhook": async (request, response) => {
      const text = await readBody(request, maxBodyBytes * 16);
      let event: Awaited<ReturnType<WebhookReceiver["receive"]>>;
      try {
        event = await webhooks.receive(text, request.headers.authorization ?? "");
      } catch (error) {
        logger.warn("webhook refused", { error });
        throw httpError(401, "M_UNAUTHORIZED", "The webhook signature is not valid");
      }
      const roomAlias = event.room?.name;
      const identity = event.participant?.identity;
      logger.debug("webhook", { event: event.event, room: roomAlias, identity });
      if (PARTICIPANT_EVENTS.has(event.event) && roomAlias && identity) {
        const reason = event.participant?.disconnectReason;
        await manager.participantEvent({
          event: event.event as ParticipantEventName,
          roomAlias,
          identity,
          ...(reason ? { disconnectReason: DISCONNECT_REASONS[reason] ?? `reason-${reason}` } : {}),
        });
      }
      sendJson(response, 200, {});
    },
    "/healthz": async (request, response) => {
      response.writeHead(200, {
        ...CORS_HEADERS,
        "content-type": "text/plain",
        "content-length": 2,
      });
      response.end(request.method === "HEAD" ? undefined : "ok");
    },
  };

  const server = createServer((request, response) => {
    let path: string;
    try {
      path = new URL(request.url ?? "/", "http://service").pathname;
    } catch {
      path = "";
    }
    const methods = ROUTES[path];
    const handler = handlers[path];
    if (request.method === "OPTIONS") {
      response.writeHead(200, { ...CORS_HEADERS, "content-length": 0 });
      response.end();
      return;
    }
    if (methods === undefined || handler === undefined) {
      request.resume();
      sendError(response, 404, "M_UNRECOGNIZED", "Unrecognized request");
      return;
    }
    if (!methods.includes(request.method ?? "")) {
      request.resume();
      sendError(response, 405, "M_UNRECOGNIZED", "Method not allowed", {
        allow: [...methods, "OPTIONS"].join(", "),
      });
      return;
    }
    handler(request, response).catch((error: unknown) => {
      if (response.headersSent) return;
      if (LivekitAuthError.isInstance(error) && error.code === "http") {
        if (error.status >= 500) logger.error(error.message, { path, cause: error.cause });
        else
          logger.info("request refused", {
            path,
            status: error.status,
            errcode: error.errcode,
            message: error.message,
          });
        sendError(response, error.status, error.errcode, error.message);
        return;
      }
      logger.error("request failed", { path, error });
      sendError(response, 500, "M_UNKNOWN", "Internal server error");
    });
  });

  let started = false;
  return {
    delegations: store,
    manager,
    async listen(port, host) {
      if (!started) {
        started = true;
        await manager.start();
      }
      const bindPort = port ?? config.bindPort ?? 8080;
      const bindHost = host ?? config.bindHost;
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(bindPort, bindHost, () => {
          server.off("error", reject);
          resolve();
        });
      });
      const address = server.address() as AddressInfo;
      const shownHost =
        bindHost === undefined || bindHost === "" || bindHost === "0.0.0.0"
          ? "127.0.0.1"
          : bindHost;
      const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${address.port}`;
      logger.info("listening", { url, store: store.kind });
      return { url, port: address.port };
    },
    async close(closeOptions = {}) {
      await new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await manager.close(closeOptions);
      if (ownsStore) await store.close();
    },
  };
}

function json(text: string): Record<string, unknown> {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}
