import { RoomServiceClient } from "livekit-server-sdk";

/**
 * The LiveKit server API calls the service makes; injected so unit tests use a fake.
 *
 * @example
 * ```ts
 * const api = createLivekitApi({ url: "http://127.0.0.1:7880", apiKey: "devkey", apiSecret: "…" });
 * await api.createRoom("O8437W3+jmzMVjoIP3tNwbm+XxHQk2iKpOA7aqw3qSc");
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export interface LivekitApiPort {
  /** Creates the room (idempotent on LiveKit): `EmptyTimeout` 300 s, `DepartureTimeout` 20 s. */
  createRoom(roomAlias: string): Promise<void>;
  /** True when the participant is in the room, false when LiveKit says it is not; throws when LiveKit cannot be asked. */
  hasParticipant(roomAlias: string, identity: string): Promise<boolean>;
}

/**
 * Seconds a created room stays open before anyone joins (lk-jwt-service).
 *
 * @example
 * ```ts
 * expect(room.emptyTimeout).toBe(ROOM_EMPTY_TIMEOUT_SECONDS);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export const ROOM_EMPTY_TIMEOUT_SECONDS = 300;
/**
 * Seconds a room stays open after the last participant left (lk-jwt-service).
 *
 * @example
 * ```ts
 * expect(room.departureTimeout).toBe(ROOM_DEPARTURE_TIMEOUT_SECONDS);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export const ROOM_DEPARTURE_TIMEOUT_SECONDS = 20;

/**
 * {@link LivekitApiPort} on livekit-server-sdk's `RoomServiceClient` (10 s per request).
 *
 * @example
 * ```ts
 * const api = createLivekitApi({ url: "wss://sfu.example.com", apiKey, apiSecret });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 *
 * @param options.url - http(s) URL of the LiveKit server (a ws(s) URL is converted).
 */
export function createLivekitApi(options: {
  url: string;
  apiKey: string;
  apiSecret: string;
}): LivekitApiPort {
  const client = new RoomServiceClient(toHttpUrl(options.url), options.apiKey, options.apiSecret, {
    requestTimeout: 10,
  });
  return {
    async createRoom(roomAlias) {
      await client.createRoom({
        name: roomAlias,
        emptyTimeout: ROOM_EMPTY_TIMEOUT_SECONDS,
        departureTimeout: ROOM_DEPARTURE_TIMEOUT_SECONDS,
      });
    },
    async hasParticipant(roomAlias, identity) {
      try {
        await client.getParticipant(roomAlias, identity);
        return true;
      } catch (error) {
        const status = (error as { status?: unknown }).status;
        const code = (error as { code?: unknown }).code;
        if (status === 404 || code === "not_found") return false;
        throw error;
      }
    },
  };
}

/** `ws://` → `http://`, `wss://` → `https://`; anything else unchanged. */
export function toHttpUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, "http$1://");
}
