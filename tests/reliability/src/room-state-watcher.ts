import { setTimeout as sleep } from "node:timers/promises";
import { isLiveMembershipContent, type RawAccount } from "./raw-matrix.js";

/** One change of a state key as an observer's /sync delivered it. */
export interface ObservedStateChange {
  readonly stateKey: string;
  readonly sender: string;
  readonly live: boolean;
  readonly content: Record<string, unknown>;
  readonly eventId: string;
  /** `Date.now()` when the sync response carrying the event was parsed. */
  readonly seenTs: number;
  /** True for events of the first (initial) sync. */
  readonly initial: boolean;
  /** Where the event came in: the room's `state` block or its `timeline`. */
  readonly section: "state" | "timeline";
  /** Was that sync batch's timeline `limited` (events skipped)? */
  readonly limited: boolean;
}

/** An observer: a raw /sync long-poll loop tracking one state event type in one room. */
export interface RoomStateWatcher {
  readonly changes: readonly ObservedStateChange[];
  /** Resolves after the initial sync was processed. */
  readonly ready: Promise<void>;
  /** Is the state key's latest content a live membership (undefined: never seen). */
  isLive(stateKey: string): boolean | undefined;
  liveKeys(): readonly string[];
  /** Sync requests that failed (network error, 5xx) and were retried. */
  readonly failedSyncs: number;
  /** Already-seen events the server sent again in a `state` block (ignored). */
  readonly redeliveredStateEvents: number;
  /** Calls the listener with each change (synchronously, as it is parsed). */
  onChange(listener: (change: ObservedStateChange) => void): () => void;
  /** Resolves with the change that made `predicate` true (checked on every change and at once). */
  waitFor(
    predicate: (change: ObservedStateChange | undefined) => boolean,
    options: { timeoutMs: number; label: string },
  ): Promise<ObservedStateChange | undefined>;
  stop(): Promise<void>;
}

interface SyncEvent {
  readonly type?: unknown;
  readonly state_key?: unknown;
  readonly sender?: unknown;
  readonly content?: unknown;
  readonly event_id?: unknown;
}

interface SyncReply {
  readonly next_batch: string;
  readonly rooms?: {
    readonly join?: Record<
      string,
      {
        state?: { events?: SyncEvent[] };
        timeline?: { events?: SyncEvent[]; limited?: boolean };
      }
    >;
  };
}

/**
 * Starts an observer for `eventType` state in `roomId`, using its own raw /sync loop.
 *
 * @remarks Long-polls with `pollTimeoutMs` (default 5000). Network errors and non-2xx replies are
 * retried after 250 ms forever, so the observer survives a homeserver restart.
 */
export function createRoomStateWatcher(options: {
  readonly account: RawAccount;
  readonly roomId: string;
  readonly eventType: string;
  readonly pollTimeoutMs?: number;
}): RoomStateWatcher {
  const { account, roomId, eventType } = options;
  const pollTimeoutMs = options.pollTimeoutMs ?? 5_000;
  const changes: ObservedStateChange[] = [];
  const latest = new Map<string, ObservedStateChange>();
  const listeners = new Set<(change: ObservedStateChange) => void>();
  const stopController = new AbortController();
  let failedSyncs = 0;
  let redeliveredStateEvents = 0;
  const seenEventIds = new Set<string>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const filter = JSON.stringify({
    presence: { not_types: ["*"] },
    account_data: { not_types: ["*"] },
    room: {
      rooms: [roomId],
      state: { types: [eventType] },
      timeline: { types: [eventType], limit: 100 },
      ephemeral: { not_types: ["*"] },
      account_data: { not_types: ["*"] },
    },
  });

  const handle = (
    event: SyncEvent,
    seenTs: number,
    initial: boolean,
    section: "state" | "timeline",
    limited: boolean,
  ) => {
    if (event.type !== eventType || typeof event.state_key !== "string") return;
    const eventId = typeof event.event_id === "string" ? event.event_id : "";
    // Synapse 1.163 re-sends state events the client already has in the `state` block of
    // incremental syncs, after newer timeline events for the same key; applying them would
    // resurrect a membership that has left. State older than what we hold is not a change.
    if (section === "state" && eventId !== "" && seenEventIds.has(eventId)) {
      redeliveredStateEvents += 1;
      return;
    }
    if (eventId !== "") seenEventIds.add(eventId);
    const content =
      typeof event.content === "object" && event.content !== null
        ? (event.content as Record<string, unknown>)
        : {};
    const change: ObservedStateChange = {
      stateKey: event.state_key,
      sender: typeof event.sender === "string" ? event.sender : "",
      live: isLiveMembershipContent(content),
      content,
      eventId,
      seenTs,
      initial,
      section,
      limited,
    };
    changes.push(change);
    latest.set(change.stateKey, change);
    for (const listener of listeners) listener(change);
  };

  const onChange = (listener: (change: ObservedStateChange) => void) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  };

  const loop = async () => {
    let since: string | undefined;
    while (!stopController.signal.aborted) {
      const query = new URLSearchParams({
        filter,
        timeout: since === undefined ? "0" : String(pollTimeoutMs),
      });
      if (since !== undefined) query.set("since", since);
      try {
        const response = await fetch(`${account.baseUrl}/_matrix/client/v3/sync?${query}`, {
          headers: { authorization: `Bearer ${account.accessToken}` },
          signal: AbortSignal.any([
            stopController.signal,
            AbortSignal.timeout(pollTimeoutMs + 10_000),
          ]),
        });
        if (!response.ok) throw new Error(`sync -> ${response.status}`);
        const reply = (await response.json()) as SyncReply;
        const seenTs = Date.now();
        const initial = since === undefined;
        const room = reply.rooms?.join?.[roomId];
        const limited = room?.timeline?.limited === true;
        for (const event of room?.state?.events ?? []) {
          handle(event, seenTs, initial, "state", limited);
        }
        for (const event of room?.timeline?.events ?? []) {
          handle(event, seenTs, initial, "timeline", limited);
        }
        since = reply.next_batch;
        if (initial) markReady();
      } catch {
        if (stopController.signal.aborted) return;
        failedSyncs += 1;
        await sleep(250);
      }
    }
  };
  const running = loop();

  return {
    changes,
    ready,
    get failedSyncs() {
      return failedSyncs;
    },
    get redeliveredStateEvents() {
      return redeliveredStateEvents;
    },
    isLive: (stateKey) => latest.get(stateKey)?.live,
    liveKeys: () => [...latest.values()].filter((change) => change.live).map((c) => c.stateKey),
    onChange,
    waitFor(predicate, { timeoutMs, label }) {
      if (predicate(undefined)) return Promise.resolve(undefined);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${label}`));
        }, timeoutMs);
        const unsubscribe = onChange((change) => {
          if (!predicate(change)) return;
          clearTimeout(timer);
          unsubscribe();
          resolve(change);
        });
      });
    },
    async stop() {
      stopController.abort();
      await running;
    },
  };
}
