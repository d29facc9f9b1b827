import { EMPTY_DIAGNOSTIC_LOG } from "./diagnostic-log.js";
import { PersistentMap } from "./persistent-map.js";
import { RtcStateError } from "./rtc-state-error.js";
import type { StateData } from "./state-data.js";

/**
 * The MatrixRTC state of one room: an immutable value produced by {@link applyEvent}.
 *
 * @remarks Treat it as opaque and immutable; read it with the `select…` functions. Old states
 * stay valid after new events are applied (they share unchanged parts), so keeping the previous
 * state to diff against is cheap. `latestTs` is the highest `origin_server_ts` applied so far.
 * @example
 * ```ts
 * let state = createRoomRtcState({ roomId: "!room:example.org" });
 * state = applyEvents(state, roomStateEvents);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export interface RoomRtcState {
  readonly roomId: string;
  readonly latestTs: number | undefined;
}

/** Options of {@link createRoomRtcState}. */
export interface CreateRoomRtcStateOptions {
  /** The room these events belong to (kept for display; events are not filtered by `room_id`). */
  readonly roomId: string;
  /** How many diagnostics to keep; older ones are counted as dropped. Default 1000. */
  readonly maxDiagnostics?: number;
}

/**
 * Create the empty state of a room.
 *
 * @remarks Pure: no clock, no I/O. Throws {@link RtcStateError} (`invalid-options`) only for a
 * non-string `roomId` or a negative/non-integer `maxDiagnostics` (default 1000).
 * @example
 * ```ts
 * const state = createRoomRtcState({ roomId: "!room:example.org", maxDiagnostics: 200 });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function createRoomRtcState(options: CreateRoomRtcStateOptions): RoomRtcState {
  const maxDiagnostics = options.maxDiagnostics ?? 1000;
  if (typeof options.roomId !== "string") {
    throw new RtcStateError("invalid-options", "roomId must be a string");
  }
  if (!Number.isSafeInteger(maxDiagnostics) || maxDiagnostics < 0) {
    throw new RtcStateError("invalid-options", "maxDiagnostics must be a non-negative integer");
  }
  return makeState({
    roomId: options.roomId,
    latestTs: undefined,
    maxDiagnostics,
    roomMembers: PersistentMap.empty(),
    entries: PersistentMap.empty(),
    userKeys: PersistentMap.empty(),
    slots: PersistentMap.empty(),
    diagnostics: EMPTY_DIAGNOSTIC_LOG,
  });
}

/** The one class of state values; fields are never reassigned. Internal. */
class StateValue implements StateData {
  readonly roomId: string;
  readonly latestTs: number | undefined;
  readonly maxDiagnostics: number;
  readonly roomMembers: StateData["roomMembers"];
  readonly entries: StateData["entries"];
  readonly userKeys: StateData["userKeys"];
  readonly slots: StateData["slots"];
  readonly diagnostics: StateData["diagnostics"];

  constructor(data: StateData) {
    this.roomId = data.roomId;
    this.latestTs = data.latestTs;
    this.maxDiagnostics = data.maxDiagnostics;
    this.roomMembers = data.roomMembers;
    this.entries = data.entries;
    this.userKeys = data.userKeys;
    this.slots = data.slots;
    this.diagnostics = data.diagnostics;
  }
}

/** Build a new state value. Internal. */
export function makeState(data: StateData): StateData {
  return new StateValue(data);
}

/** The internal view of a state; throws {@link RtcStateError} for foreign values. Internal. */
export function stateData(state: RoomRtcState): StateData {
  if (!(state instanceof StateValue)) {
    throw new RtcStateError(
      "invalid-state",
      "not a state created by createRoomRtcState/applyEvent",
    );
  }
  return state;
}
