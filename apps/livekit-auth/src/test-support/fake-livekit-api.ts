import type { LivekitApiPort } from "../livekit-api.js";

/** In-memory LiveKit API for unit tests. */
export interface FakeLivekitApi extends LivekitApiPort {
  readonly createdRooms: string[];
  /** `${room}|${identity}` of connected participants. */
  readonly present: Set<string>;
  /** Make the next calls throw. */
  failing: boolean;
  polls: number;
}

export function createFakeLivekitApi(): FakeLivekitApi {
  const api: FakeLivekitApi = {
    createdRooms: [],
    present: new Set(),
    failing: false,
    polls: 0,
    async createRoom(roomAlias) {
      if (api.failing) throw new Error("livekit down");
      api.createdRooms.push(roomAlias);
    },
    async hasParticipant(roomAlias, identity) {
      api.polls += 1;
      if (api.failing) throw new Error("livekit down");
      return api.present.has(`${roomAlias}|${identity}`);
    },
  };
  return api;
}
