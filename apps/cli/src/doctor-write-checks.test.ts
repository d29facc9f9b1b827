import type { DelayedEventTransportV1, ScheduledDelayedEvent } from "@mxrtc/delayed-events";
import { createMatrixClient } from "@mxrtc/matrix";
import { describe, expect, it } from "vitest";
import { fakeFetch, json } from "../test/fake-fetch.js";
import type { DoctorContext } from "./doctor-check.js";
import { checkDelayedEventRoundTrip, checkMembershipPowerLevel } from "./doctor-write-checks.js";

const HS = "http://hs.test";
const ROOM = "!room:hs.test";
const identity = { userId: "@doc:hs.test", deviceId: "DOC", serverName: "hs.test" };
const statePath = (type: string) =>
  `GET ${HS}/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}/state/${type}/`;

function contextWith(routes: Parameters<typeof fakeFetch>[0]): DoctorContext {
  const { fetch } = fakeFetch(routes);
  return {
    fetch,
    homeserver: HS,
    timeoutMs: 1000,
    matrix: createMatrixClient({ baseUrl: HS, accessToken: "t", fetch }),
    identity,
  };
}

function memoryDelayedEvents(options: { failRestart?: Error } = {}) {
  const scheduled = new Map<string, ScheduledDelayedEvent>();
  const log: string[] = [];
  const transport = {
    specificationVersion: "v1",
    async scheduleStateEvent(input) {
      const delayId = `d${scheduled.size + 1}`;
      log.push(`schedule ${input.eventType} ${input.stateKey} ${JSON.stringify(input.content)}`);
      scheduled.set(delayId, { delayId, ...input });
      return { delayId };
    },
    async restart(delayId) {
      log.push(`restart ${delayId}`);
      if (options.failRestart) throw options.failRestart;
    },
    async cancel(delayId) {
      log.push(`cancel ${delayId}`);
      scheduled.delete(delayId);
    },
    async listScheduled() {
      return [...scheduled.values()];
    },
  } as Partial<DelayedEventTransportV1> as DelayedEventTransportV1;
  return { transport, log, scheduled };
}

describe("checkMembershipPowerLevel", () => {
  it("fails when members may not send call.member state (element-web#30703)", async () => {
    const result = await checkMembershipPowerLevel(
      contextWith({
        [statePath("m.room.power_levels")]: () =>
          json(200, { state_default: 50, users: { "@owner:hs.test": 100 } }),
      }),
      identity,
      ROOM,
    );
    expect(result.status).toBe("fail");
    expect(result.message).toContain("needs 50");
    expect(result.fix).toContain('"org.matrix.msc3401.call.member": 0');
  });

  it("fails, naming M_FORBIDDEN, when the room cannot be read (not joined)", async () => {
    const result = await checkMembershipPowerLevel(
      contextWith({
        [statePath("m.room.power_levels")]: () =>
          json(403, { errcode: "M_FORBIDDEN", error: "User not in room" }),
      }),
      identity,
      ROOM,
    );
    expect(result.status).toBe("fail");
    expect(result.message).toContain("M_FORBIDDEN");
  });

  it("a room without power levels allows everyone (404)", async () => {
    const result = await checkMembershipPowerLevel(
      contextWith({
        [statePath("m.room.power_levels")]: () =>
          json(404, { errcode: "M_NOT_FOUND", error: "Event not found" }),
      }),
      identity,
      ROOM,
    );
    expect(result.status).toBe("ok");
  });

  it("ok when the event types are at 0; warn when only sticky is restricted", async () => {
    const allowed = await checkMembershipPowerLevel(
      contextWith({
        [statePath("m.room.power_levels")]: () =>
          json(200, { events: { "org.matrix.msc3401.call.member": 0 }, state_default: 50 }),
      }),
      identity,
      ROOM,
    );
    expect(allowed.status).toBe("ok");
    const stickyBlocked = await checkMembershipPowerLevel(
      contextWith({
        [statePath("m.room.power_levels")]: () =>
          json(200, {
            events: { "org.matrix.msc3401.call.member": 0, "org.matrix.msc4143.rtc.member": 50 },
          }),
      }),
      identity,
      ROOM,
    );
    expect(stickyBlocked.status).toBe("warn");
  });
});

describe("checkDelayedEventRoundTrip", () => {
  it("schedules {} at our own legacy state key, restarts, lists and cancels it", async () => {
    const delayed = memoryDelayedEvents();
    const result = await checkDelayedEventRoundTrip(
      contextWith({ [statePath("m.room.create")]: () => json(200, { room_version: "11" }) }),
      delayed.transport,
      identity,
      ROOM,
    );
    expect(result.status).toBe("ok");
    expect(delayed.log).toEqual([
      "schedule org.matrix.msc3401.call.member _@doc:hs.test_DOC_m.call {}",
      "restart d1",
      "cancel d1",
    ]);
    expect(delayed.scheduled.size).toBe(0);
  });

  it("uses the key without '_' in MSC3757 room versions", async () => {
    const delayed = memoryDelayedEvents();
    await checkDelayedEventRoundTrip(
      contextWith({
        [statePath("m.room.create")]: () => json(200, { room_version: "org.matrix.msc3757.11" }),
      }),
      delayed.transport,
      identity,
      ROOM,
    );
    expect(delayed.log[0]).toBe(
      "schedule org.matrix.msc3401.call.member @doc:hs.test_DOC_m.call {}",
    );
  });

  it("a failed restart fails the check and still cancels the scheduled event", async () => {
    const delayed = memoryDelayedEvents({ failRestart: new Error("restart refused") });
    const result = await checkDelayedEventRoundTrip(
      contextWith({ [statePath("m.room.create")]: () => json(200, { room_version: "11" }) }),
      delayed.transport,
      identity,
      ROOM,
    );
    expect(result.status).toBe("fail");
    expect(result.message).toContain("restart failed");
    expect(delayed.log.at(-1)).toBe("cancel d1");
    expect(delayed.scheduled.size).toBe(0);
  });
});
