import { describe, expect, it } from "vitest";
import { createTransactionIdGenerator } from "./transaction-ids.js";

describe("createTransactionIdGenerator", () => {
  it("counts up behind a random prefix", () => {
    const next = createTransactionIdGenerator((bytes) => bytes.fill(35));
    const prefix = `mxrtc${"0z".repeat(9)}`;
    expect([next(), next()]).toEqual([`${prefix}.1`, `${prefix}.2`]);
  });

  it("two generators with real randomness do not collide", () => {
    const first = createTransactionIdGenerator();
    const second = createTransactionIdGenerator();
    const ids = new Set([first(), first(), second(), second()]);
    expect(ids.size).toBe(4);
  });
});
