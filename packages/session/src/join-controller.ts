import type { DelayedEventTransportV1 } from "@mxrtc/delayed-events";
import {
  type Clock,
  createLeaveScheduler,
  createLocalStorageDelayIdStorage,
  type LeaveDelegation,
  type LeaveScheduler,
  type SendMembership,
} from "@mxrtc/leave-scheduler";
import type { MatrixPort } from "@mxrtc/matrix";
import type { RtcMembership } from "@mxrtc/state";
import { MAX_STICKY_DURATION_MS, type RtcTransport } from "@mxrtc/types";
import { discoverTransports } from "./discover-transports.js";
import { explainJoinFailure } from "./explain-join-failure.js";
import {
  buildOwnMembershipContent,
  legacyExpiresMs,
  type OwnMembershipPlan,
  planOwnMembership,
  sendOwnMembership,
} from "./own-membership.js";
import { isForbidden } from "./power-levels.js";
import { readStateContent } from "./read-room-state.js";
import type { RoomFacts } from "./room-facts.js";
import { SessionError } from "./session-error.js";
import type { JoinState } from "./session-events.js";
import type { JoinOptions, RtcSessionOptions } from "./session-options.js";

/** Our resolved identity. */
export interface OwnIdentity {
  readonly userId: string;
  readonly deviceId: string;
  readonly memberId: string;
}

/** What the join controller needs from the session. */
export interface JoinControllerHost {
  readonly options: RtcSessionOptions;
  readonly matrix: MatrixPort;
  readonly clock: Clock;
  readonly delayedEvents: DelayedEventTransportV1;
  readonly facts: () => RoomFacts;
  /** Our membership as the state currently holds it (matched by user and member id). */
  readonly ownMembership: () => RtcMembership | undefined;
  readonly setJoinState: (state: JoinState) => void;
  readonly onError: (error: SessionError, fatal: boolean) => void;
  readonly onDelegation: (delegation: LeaveDelegation) => void;
  /** Joined (connect the focus) or left (disconnect it); also after our transports changed. */
  readonly onParticipationChanged: () => void;
  /** Close the focus connection (before the leave is sent). */
  readonly disconnectFocus: () => Promise<void>;
}

const DEFAULT_REFRESH_LEAD_MS = 300_000;
const DEFAULT_EXPIRES_MS = 14_400_000;

/**
 * Our side of the call: resolves identity, room version and transports, plans the membership,
 * runs the leave scheduler, keeps `created_ts`, refreshes before expiry, reports a vanished
 * membership. Internal to {@link createRtcSession}.
 */
export function createJoinController(host: JoinControllerHost) {
  const { options, matrix, clock } = host;
  const stepMs = options.expiresMs ?? DEFAULT_EXPIRES_MS;
  const refreshLeadMs = options.refreshLeadMs ?? DEFAULT_REFRESH_LEAD_MS;
  let identity: Promise<OwnIdentity> | undefined;
  let resolvedIdentity: OwnIdentity | undefined;
  let scheduler: LeaveScheduler | undefined;
  let plan: OwnMembershipPlan | undefined;
  let transports: readonly RtcTransport[] | undefined = options.transports;
  let callIntent = options.callIntent;
  let createdTs: number | undefined;
  let expiresMs = stepMs;
  let lastWriteTs: number | undefined;
  /** The last write of this join (its event id when the server gave one); none before the first. */
  let lastWrite: { readonly eventId: string | undefined } | undefined;
  let writesInFlight = 0;
  let seenSinceWrite = false;
  let refreshTimer: unknown;
  let joinState: JoinState = "left";
  let joining: Promise<void> | undefined;

  function setState(next: JoinState): void {
    if (joinState === next) return;
    joinState = next;
    host.setJoinState(next);
    host.onParticipationChanged();
  }

  function resolveIdentity(): Promise<OwnIdentity> {
    identity ??= (async () => {
      let { userId, deviceId } = options;
      if (userId === undefined || deviceId === undefined) {
        const whoami = await matrix.whoami();
        userId ??= whoami.userId;
        deviceId ??= whoami.deviceId;
      }
      if (deviceId === undefined) {
        throw new SessionError("invalid-options", "no deviceId given and whoami returned none");
      }
      resolvedIdentity = {
        userId,
        deviceId,
        memberId: options.memberId ?? `${userId}:${deviceId}`,
      };
      return resolvedIdentity;
    })();
    identity.catch(() => {
      identity = undefined;
    });
    return identity;
  }

  function clearRefresh(): void {
    if (refreshTimer !== undefined) clock.clearTimeout(refreshTimer);
    refreshTimer = undefined;
  }

  function scheduleRefresh(): void {
    clearRefresh();
    if (plan === undefined || lastWriteTs === undefined || joinState !== "joined") return;
    const lapseTs =
      plan.dialect === "sticky"
        ? lastWriteTs + MAX_STICKY_DURATION_MS
        : (createdTs ?? lastWriteTs) + expiresMs;
    const delay = Math.max(0, lapseTs - refreshLeadMs - clock.now());
    refreshTimer = clock.setTimeout(() => {
      refreshTimer = undefined;
      void runUpdate();
    }, delay);
  }

  /** Look at our membership in the latest state: `created_ts`, and whether it vanished. */
  function observe(): void {
    const own = host.ownMembership();
    if (own !== undefined) {
      if (
        lastWrite !== undefined &&
        writesInFlight === 0 &&
        (lastWrite.eventId === undefined || own.eventId === lastWrite.eventId)
      )
        seenSinceWrite = true;
      if (seenSinceWrite && createdTs === undefined && plan?.dialect === "legacy") {
        createdTs = own.createdTs;
        scheduleRefresh();
      }
      return;
    }
    if (joinState === "joined" && seenSinceWrite && writesInFlight === 0) {
      seenSinceWrite = false;
      scheduler?.membershipMissing();
    }
  }

  const sendMembership: SendMembership = async ({ signal }) => {
    const current = plan;
    if (current === undefined || transports === undefined) return;
    const now = clock.now();
    const nextExpiresMs =
      createdTs === undefined
        ? stepMs
        : legacyExpiresMs({ createdTs, now, stepMs, headroomMs: 2 * refreshLeadMs });
    const content = buildOwnMembershipContent(current, {
      transports,
      callIntent,
      createdTs,
      expiresMs: nextExpiresMs,
    });
    writesInFlight += 1;
    seenSinceWrite = false;
    try {
      const result = await sendOwnMembership(matrix, current, content, { signal });
      lastWrite = { eventId: result.eventId };
      lastWriteTs = now;
      expiresMs = nextExpiresMs;
    } catch (error) {
      // A 403 is definitive: the membership did not land. Cancel the armed leave ourselves
      // (the scheduler cannot know the write failed for good and would send it instead).
      const delayId = scheduler?.delayId;
      if (isForbidden(error) && delayId !== undefined && joinState === "joining") {
        await host.delayedEvents.cancel(delayId).catch(() => undefined);
      }
      throw error;
    } finally {
      writesInFlight -= 1;
    }
    observe();
    scheduleRefresh();
  };

  async function runUpdate(): Promise<void> {
    if (scheduler === undefined || joinState !== "joined") return;
    try {
      await scheduler.update(sendMembership);
    } catch (error) {
      host.onError(
        new SessionError("join-failed", "could not re-send our membership", { cause: error }),
        false,
      );
    }
  }

  async function prepare(joinOptions: JoinOptions): Promise<OwnMembershipPlan> {
    const own = await resolveIdentity();
    const dialect = options.dialect ?? "legacy";
    if (dialect === "sticky") {
      const versions = await matrix.versions();
      if (versions.unstableFeatures["org.matrix.msc4354"] !== true) {
        throw new SessionError(
          "sticky-unsupported",
          "dialect sticky needs MSC4354 sticky events, which this homeserver does not advertise",
        );
      }
    }
    if (joinOptions.callIntent !== undefined) callIntent = joinOptions.callIntent;
    transports = joinOptions.transports ?? transports ?? (await discoverTransports(matrix));
    if (transports.length === 0) {
      transports = undefined;
      throw new SessionError(
        "no-transport",
        "no transports given, and the homeserver offers none (/rtc/transports, .well-known)",
      );
    }
    let roomVersion = host.facts().roomVersion;
    if (roomVersion === undefined && dialect === "legacy") {
      const create = await readStateContent(matrix, options.roomId, "m.room.create");
      roomVersion = typeof create?.room_version === "string" ? create.room_version : undefined;
    }
    return planOwnMembership({
      dialect,
      roomId: options.roomId,
      slotId: options.slotId ?? "m.call#ROOM",
      ...own,
      roomVersion,
      focusSelection: options.focusSelection ?? "oldest_membership",
    });
  }

  function createScheduler(current: OwnMembershipPlan): LeaveScheduler {
    const created = createLeaveScheduler({
      ...options.scheduler,
      // A reloaded page finds its previous instance's delayed leave and cancels it before arming,
      // instead of being knocked out by it a delay later (no-op where localStorage is absent).
      storage: options.scheduler?.storage ?? createLocalStorageDelayIdStorage(),
      delayedEvents: host.delayedEvents,
      matrix,
      leave: current.leave,
      clock,
      onDelegation: host.onDelegation,
    });
    created.on("rejoining", () => {
      createdTs = undefined;
    });
    created.on("error", ({ error, fatal }) => {
      if (joinState !== "joined" || scheduler !== created) return;
      host.onError(
        new SessionError("scheduler-error", `leave scheduler: ${error.message}`, { cause: error }),
        fatal,
      );
    });
    created.on("left", ({ cause }) => {
      if (scheduler !== created || joinState !== "joined") return;
      if (cause === "leave" || cause === "close") return;
      clearRefresh();
      setState("left");
    });
    return created;
  }

  async function runJoin(joinOptions: JoinOptions): Promise<void> {
    setState("joining");
    let current: OwnMembershipPlan | undefined;
    try {
      const prepared = await prepare(joinOptions);
      if (joinState !== "joining") throw new SessionError("invalid-state", "left while joining");
      current = prepared;
      plan = current;
      createdTs = undefined;
      expiresMs = stepMs;
      lastWrite = undefined;
      seenSinceWrite = false;
      const previous = scheduler;
      scheduler = createScheduler(current);
      await previous?.close({ leave: false });
      await scheduler.join(sendMembership);
      if (joinState !== "joining") throw new SessionError("invalid-state", "left while joining");
      setState("joined");
      scheduleRefresh();
      observe();
    } catch (error) {
      const explained =
        current === undefined
          ? error
          : await explainJoinFailure(error, {
              plan: current,
              matrix,
              powerLevels: host.facts().powerLevels,
            });
      if (joinState === "joining") setState("left");
      throw SessionError.isInstance(explained)
        ? explained
        : new SessionError("join-failed", String(explained), { cause: explained });
    }
  }

  return {
    get joinState(): JoinState {
      return joinState;
    },
    get scheduler(): LeaveScheduler | undefined {
      return scheduler;
    },
    get plan(): OwnMembershipPlan | undefined {
      return plan;
    },
    /** Our identity once known (after the first join, or `resolveIdentity`). */
    get identity(): OwnIdentity | undefined {
      return resolvedIdentity;
    },
    /** Our transports as last written (or given). */
    get transports(): readonly RtcTransport[] | undefined {
      return transports;
    },
    resolveIdentity,
    observe,
    join(joinOptions: JoinOptions = {}): Promise<void> {
      if (joinState === "joined") return Promise.resolve();
      if (joinState === "leaving") {
        return Promise.reject(new SessionError("invalid-state", "cannot join while leaving"));
      }
      joining ??= runJoin(joinOptions).finally(() => {
        joining = undefined;
      });
      return joining;
    },
    async update(joinOptions: JoinOptions): Promise<void> {
      if (joinOptions.callIntent !== undefined) callIntent = joinOptions.callIntent;
      if (joinOptions.transports !== undefined) transports = joinOptions.transports;
      if (joinState !== "joined" || scheduler === undefined) return;
      host.onParticipationChanged();
      try {
        await scheduler.update(sendMembership);
      } catch (error) {
        throw new SessionError("join-failed", "could not update our membership", { cause: error });
      }
    },
    async leave(): Promise<void> {
      if (joinState === "left" || joinState === "leaving") return;
      clearRefresh();
      setState("leaving");
      try {
        await host.disconnectFocus();
        await scheduler?.leave();
      } finally {
        setState("left");
      }
    },
    async close(): Promise<void> {
      clearRefresh();
      if (joinState === "joined" || joinState === "joining") await this.leave();
      await scheduler?.close({ leave: false });
    },
  };
}

/** The controller returned by {@link createJoinController}. */
export type JoinController = ReturnType<typeof createJoinController>;
