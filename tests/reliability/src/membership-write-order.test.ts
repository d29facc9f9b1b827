import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "./counting-fetch.js";
import { findUnarmedMembershipWrites } from "./membership-write-order.js";

const key = "/_%40a%3Ahs_D_m.call";
const statePath = `/_matrix/client/v3/rooms/!r/state/org.matrix.msc3401.call.member${key}`;
const schedule = (startTs: number, status: number): RecordedRequest => ({
  method: "PUT",
  path: statePath,
  query: "?org.matrix.msc4140.delay=8000",
  startTs,
  endTs: startTs + 5,
  status,
});
const restart = (startTs: number, status: number | undefined): RecordedRequest => ({
  method: "POST",
  path: "/_matrix/client/unstable/org.matrix.msc4140/delayed_events/syd_x/restart",
  query: "",
  startTs,
  endTs: startTs + 5,
  ...(status === undefined ? { failure: "aborted" } : { status }),
});
const write = (startTs: number): RecordedRequest => ({
  method: "PUT",
  path: statePath,
  query: "",
  startTs,
  endTs: startTs + 5,
  status: 200,
});

describe("findUnarmedMembershipWrites", () => {
  it("accepts a write after a successful schedule or restart", () => {
    expect(findUnarmedMembershipWrites([schedule(0, 200), write(10)], key)).toEqual([]);
    expect(
      findUnarmedMembershipWrites([schedule(0, 200), write(10), restart(20, 200), write(30)], key),
    ).toEqual([]);
  });

  it("flags a write with no delayed leave before it", () => {
    expect(findUnarmedMembershipWrites([write(0), schedule(10, 200)], key)).toEqual([
      { startTs: 0 },
    ]);
  });

  it("flags a write whose latest delayed-leave operation failed (the leave had fired)", () => {
    expect(
      findUnarmedMembershipWrites([schedule(0, 200), restart(10, 404), write(20)], key),
    ).toEqual([{ startTs: 20, previous: { kind: "restart", status: 404 } }]);
    expect(
      findUnarmedMembershipWrites([schedule(0, 200), restart(10, undefined), write(20)], key),
    ).toHaveLength(1);
  });

  it("ignores a delayed-leave operation still in flight when the write starts", () => {
    const inFlight: RecordedRequest = { ...restart(10, 404), endTs: 25 };
    expect(findUnarmedMembershipWrites([schedule(0, 200), inFlight, write(20)], key)).toEqual([]);
  });
});
