import { vi } from "vitest";
import { createRtcSession } from "../src/create-rtc-session.js";
import type { RtcSessionEventMap, RtcSessionEventName } from "../src/session-events.js";
import type { RtcSession, RtcSessionOptions } from "../src/session-options.js";
import { createFakeDelayedEvents } from "./fake-delayed-events.js";
import { createFakeFocusPlugin } from "./fake-focus-plugin.js";
import { createFakeMatrix, type FakeMatrixOptions } from "./fake-matrix.js";
import { ROOM, roomState, SFU_A } from "./room-fixtures.js";

export const START_TS = 1_700_000_000_000;

/** A session over fakes (external feed unless told), with the room state applied. */
export function setupSession(
  options: Partial<RtcSessionOptions> & {
    matrixOptions?: FakeMatrixOptions;
    memberLevel?: number;
    roomVersion?: string;
    delegation?: boolean;
  } = {},
) {
  vi.useFakeTimers({ now: START_TS });
  const log: string[] = [];
  const fake = createFakeMatrix({ log, ...options.matrixOptions });
  const delayed = createFakeDelayedEvents(log);
  const focus = createFakeFocusPlugin("livekit", { delegation: options.delegation ?? false });
  const { matrixOptions, memberLevel, roomVersion, delegation, ...sessionOptions } = options;
  const session: RtcSession = createRtcSession({
    matrix: fake.port,
    roomId: ROOM,
    feed: "external",
    delayedEvents: delayed.transport,
    plugins: [focus.plugin],
    transports: [SFU_A],
    ...sessionOptions,
  });
  const events: { name: RtcSessionEventName; payload: unknown }[] = [];
  for (const name of [
    "memberships-changed",
    "transport-changed",
    "join-state-changed",
    "session-ended",
    "error",
  ] as const) {
    session.on(name, (payload: RtcSessionEventMap[typeof name]) => events.push({ name, payload }));
  }
  const state = roomState({
    ...(memberLevel !== undefined && { memberLevel }),
    ...(roomVersion !== undefined && { roomVersion }),
  });
  if (session.slotId && options.feed !== "sync") {
    session.applySyncBatch(fake.batch(ROOM, { state }, { initial: true }));
  }
  /** Deliver everything we sent so far (not yet delivered) back through sync. */
  let delivered = 0;
  const echo = () => {
    const fresh = fake.sent.slice(delivered);
    delivered = fake.sent.length;
    const events = fake.echo(fresh);
    session.applySyncBatch(
      fake.batch(ROOM, {
        timeline: events.filter((event) => event.state_key !== undefined),
        sticky: events.filter((event) => event.state_key === undefined),
      }),
    );
  };
  const feed = (timeline: Parameters<typeof fake.batch>[1]["timeline"]) =>
    session.applySyncBatch(fake.batch(ROOM, { timeline: timeline ?? [] }));
  return { session, fake, delayed, focus, log, events, echo, feed, state };
}

/** Let pending promises and due timers run. */
export async function settle(ms = 0): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}
