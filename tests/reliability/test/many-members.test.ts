/**
 * A scaled-down run of the 100-member benchmark for CI: 20 members, each its own leave scheduler,
 * heartbeat against one Synapse for 30 s. No live member's membership may vanish (spurious
 * leave), and once half have left and half were killed (network severed), no live membership may
 * remain in room state after delay + 2 s (ghost).
 */
import type {} from "@mxrtc/stack";
import { describe, expect, inject, it } from "vitest";
import { measureManyMembers } from "../bench/many-members.js";
import { recordMeasurement } from "../src/record-measurement.js";

const synapse = inject("synapse");

describe("20 members heartbeating for half a minute", () => {
  it("leave no ghosts and suffer no spurious leaves", async () => {
    const result = await measureManyMembers(synapse, {
      members: 20,
      minutes: 0.5,
      log: (line) => console.log(line),
    });
    recordMeasurement("many-members", { ...result });
    expect(result.spuriousLeaves).toBe(0);
    expect(result.ghosts).toBe(0);
    expect(result.observerStillLive, "the observer's /sync agrees with room state").toBe(0);
  }, 240_000);
});
