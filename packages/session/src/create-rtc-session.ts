import { createDelayedEventTransport } from "@mxrtc/delayed-events";
import { type FocusPluginV1, isFocusPluginV1 } from "@mxrtc/focus";
import { systemClock } from "@mxrtc/leave-scheduler";
import { MATRIXRTC_SYNC_FILTER, type SyncBatch } from "@mxrtc/matrix";
import {
  applyEvents,
  createRoomRtcState,
  type RoomRtcState,
  selectSessions,
  selectTransport,
} from "@mxrtc/state";
import { DEFAULT_SLOT_ID, parseSlotId, type RtcTransport } from "@mxrtc/types";
import { createFocusController } from "./focus-controller.js";
import { createFocusMatrixPort, type SessionFocusMatrixPort } from "./focus-matrix-port.js";
import { createJoinController } from "./join-controller.js";
import { listMemberships, membershipsDiffer, sameTransport } from "./membership-list.js";
import { foldRoomFacts, type RoomFacts } from "./room-facts.js";
import { SessionError } from "./session-error.js";
import { createSessionEmitter, type JoinState } from "./session-events.js";
import type { SessionMembership } from "./session-membership.js";
import type { RtcSession, RtcSessionOptions } from "./session-options.js";
import { syncBatchEvents } from "./sync-batch-events.js";

/** setTimeout's largest delay; a later expiry is re-checked when this fires. */
const MAX_TIMER_MS = 2_147_483_647;

function checkOptions(options: RtcSessionOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new SessionError("invalid-options", "createRtcSession needs an options object");
  }
  if (typeof options.matrix !== "object" || options.matrix === null) {
    throw new SessionError("invalid-options", "matrix must be a MatrixPort");
  }
  if (typeof options.roomId !== "string" || options.roomId === "") {
    throw new SessionError("invalid-options", "roomId must be a non-empty string");
  }
  const slot = parseSlotId(options.slotId ?? DEFAULT_SLOT_ID);
  if (!slot.ok) {
    throw new SessionError("invalid-options", `invalid slotId: ${slot.error.message}`);
  }
  if (options.dialect !== undefined && options.dialect !== "legacy" && options.dialect !== "sticky")
    throw new SessionError("invalid-options", 'dialect must be "legacy" or "sticky"');
}

function checkPlugin(plugin: FocusPluginV1): void {
  if (!isFocusPluginV1(plugin)) {
    throw new SessionError(
      "invalid-options",
      "a plugin needs specificationVersion v1, a focusType and connect()",
    );
  }
}

/**
 * Create a MatrixRTC call session for one slot of one room.
 *
 * @remarks Feeds the Matrix port's sync stream (or the batches you hand to `applySyncBatch`
 * with `feed: "external"`) into `@mxrtc/state`, lists the members with their transports and
 * focus status, and, once you `join()`, writes our membership behind a delayed leave (legacy
 * state by default, sticky on request), keeps it fresh, and runs the focus plugin for the active
 * transport. Defaults: slot `m.call#ROOM`, dialect `legacy`, focus selection
 * `oldest_membership`, transports discovered from the homeserver, feed `sync`, `expires` 4 h,
 * refresh 5 min before a lapse, the system clock. Throws {@link SessionError}
 * (`invalid-options`) for bad options; everything later is reported as a typed error.
 * @example
 * ```ts
 * const session = createRtcSession({ matrix: createMatrixClient({ baseUrl, accessToken }), roomId, plugins: [plugin] });
 * session.on("memberships-changed", ({ memberships }) => console.log(memberships.length));
 * await session.join();
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export function createRtcSession(options: RtcSessionOptions): RtcSession {
  checkOptions(options);
  const { matrix, roomId } = options;
  const slotId = options.slotId ?? DEFAULT_SLOT_ID;
  const clock = options.clock ?? systemClock;
  const delayedEvents = options.delayedEvents ?? createDelayedEventTransport({ matrix });
  const emitter = createSessionEmitter();
  const plugins = new Map<string, FocusPluginV1>();
  let state: RoomRtcState = createRoomRtcState({ roomId });
  let facts: RoomFacts = {};
  let memberships: readonly SessionMembership[] = Object.freeze([]);
  let transport: RtcTransport | undefined;
  let joinState: JoinState = "left";
  let expiryTimer: unknown;
  let focusPort: SessionFocusMatrixPort | undefined;
  let closed = false;
  const abort = new AbortController();

  for (const plugin of options.plugins ?? []) {
    checkPlugin(plugin);
    plugins.set(plugin.focusType, plugin);
  }

  const emitError = (error: SessionError, fatal: boolean): void =>
    emitter.emit("error", { error, fatal });

  const focus = createFocusController({
    roomId,
    slotId,
    pluginFor: (focusType) => plugins.get(focusType),
    onError: (error, focusType) =>
      emitError(
        new SessionError("focus-failed", `focus ${focusType} failed`, { cause: error }),
        false,
      ),
  });

  const join = createJoinController({
    options,
    matrix,
    clock,
    delayedEvents,
    facts: () => facts,
    ownMembership: () => memberships.find((membership) => membership.isLocal),
    setJoinState: (next) => {
      const previous = joinState;
      joinState = next;
      emitter.emit("join-state-changed", { joinState: next, previous });
    },
    onError: emitError,
    onDelegation: (delegation) => focus.delegate(delegation),
    onParticipationChanged: () => refresh(),
    disconnectFocus: () => focus.setTarget(undefined),
  });

  function isLocal(membership: { userId: string; memberId: string; dialect: string }): boolean {
    const identity = join.identity;
    if (identity === undefined || membership.userId !== identity.userId) return false;
    const plan = join.plan;
    if (plan === undefined) return membership.memberId === identity.memberId;
    return membership.memberId === plan.memberId && membership.dialect === plan.dialect;
  }

  function computeTransport(now: number): RtcTransport | undefined {
    const shared = selectTransport(state, { slotId, now });
    const plan = join.plan;
    if (plan === undefined || (joinState !== "joined" && joinState !== "joining")) return shared;
    const own = join.transports?.[0];
    if (plan.dialect === "legacy" && plan.focusSelection === "oldest_membership") {
      return shared ?? own;
    }
    return own;
  }

  function updateFocus(): void {
    const identity = join.identity;
    const plan = join.plan;
    const scheduler = join.scheduler;
    if (
      joinState !== "joined" ||
      transport === undefined ||
      identity === undefined ||
      plan === undefined ||
      scheduler === undefined
    ) {
      void focus.setTarget(undefined);
      return;
    }
    focusPort ??= createFocusMatrixPort(matrix, identity);
    void focus.setTarget({
      transport,
      members: memberships
        .filter((membership) => !membership.isLocal)
        .map(({ userId, deviceId, memberId, transports }) => ({
          userId,
          deviceId,
          memberId,
          transports,
        })),
      localMember: {
        userId: identity.userId,
        deviceId: identity.deviceId,
        memberId: plan.memberId,
      },
      leavePort: scheduler.leavePort,
      matrix: focusPort,
    });
  }

  function scheduleExpiry(now: number): void {
    if (expiryTimer !== undefined) clock.clearTimeout(expiryTimer);
    expiryTimer = undefined;
    let next: number | undefined;
    for (const membership of memberships) {
      const expiresTs = membership.expiresTs;
      if (expiresTs !== undefined && expiresTs > now && (next === undefined || expiresTs < next))
        next = expiresTs;
    }
    if (next !== undefined) {
      expiryTimer = clock.setTimeout(
        () => {
          expiryTimer = undefined;
          refresh();
        },
        Math.min(next - now, MAX_TIMER_MS),
      );
    }
  }

  function refresh(): void {
    if (closed) return;
    const now = clock.now();
    const previous = memberships;
    memberships = listMemberships(state, {
      slotId,
      now,
      focusTypes: new Set(plugins.keys()),
      isLocal,
    });
    join.observe();
    if (membershipsDiffer(previous, memberships)) {
      emitter.emit("memberships-changed", { memberships, previous });
    }
    if (previous.length > 0 && memberships.length === 0) {
      emitter.emit("session-ended", { session: selectSessions(state, { slotId }).at(-1) });
    }
    const nextTransport = computeTransport(now);
    if (!sameTransport(transport, nextTransport)) {
      const previousTransport = transport;
      transport = nextTransport;
      emitter.emit("transport-changed", { transport, previous: previousTransport });
    }
    updateFocus();
    scheduleExpiry(now);
  }

  function applySyncBatch(batch: SyncBatch): void {
    if (closed) return;
    try {
      const events = syncBatchEvents(batch, roomId);
      if (events.length > 0) {
        facts = foldRoomFacts(facts, events);
        const receivedTs = Number.isFinite(batch.receivedTs) ? batch.receivedTs : clock.now();
        state = applyEvents(state, events, { receivedTs });
      }
      if (Array.isArray(batch.toDevice) && batch.toDevice.length > 0) {
        focusPort?.dispatchToDevice(batch.toDevice);
      }
    } catch (error) {
      // A malformed batch (wrong shape from a hand-rolled feed) is reported, never thrown.
      emitError(
        new SessionError("sync-failed", "could not apply a sync batch", { cause: error }),
        false,
      );
    }
    refresh();
  }

  async function runSync(): Promise<void> {
    try {
      for await (const batch of matrix.sync({
        signal: abort.signal,
        filter: options.syncFilter ?? MATRIXRTC_SYNC_FILTER,
      })) {
        if (closed) break;
        applySyncBatch(batch);
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      emitError(new SessionError("sync-failed", "the sync loop stopped", { cause: error }), true);
    }
  }

  // Know who we are early, so our own (possibly stale) membership is marked before join().
  join.resolveIdentity().then(
    () => refresh(),
    () => undefined,
  );
  if ((options.feed ?? "sync") === "sync") void runSync();

  return {
    roomId,
    slotId,
    get memberships() {
      return memberships;
    },
    get transport() {
      return transport;
    },
    get joinState() {
      return joinState;
    },
    get pastSessions() {
      return selectSessions(state, { slotId }).filter((record) => !record.active);
    },
    get state() {
      return state;
    },
    get focusConnection() {
      return focus.connection;
    },
    get scheduler() {
      return join.scheduler;
    },
    applySyncBatch,
    async join(joinOptions) {
      if (closed) throw new SessionError("closed", "the session is closed");
      await join.join(joinOptions);
    },
    update: (updateOptions) => join.update(updateOptions),
    leave: () => join.leave(),
    registerPlugin(plugin) {
      checkPlugin(plugin);
      plugins.set(plugin.focusType, plugin);
      refresh();
      void focus.retry();
      return () => {
        if (plugins.get(plugin.focusType) === plugin) plugins.delete(plugin.focusType);
        refresh();
      };
    },
    on: (name, listener) => emitter.on(name, listener),
    async close() {
      if (closed) return;
      await join.close().catch(() => undefined);
      closed = true;
      abort.abort();
      if (expiryTimer !== undefined) clock.clearTimeout(expiryTimer);
      await focus.close();
      emitter.clear();
    },
  };
}
