import { describe, expect, it } from "vitest";
import { createFakeClock } from "./fake-clock.js";

describe("createFakeClock", () => {
  it("starts at nowTs (default 0) and fires timers only when advanced past their due time", () => {
    expect(createFakeClock().now()).toBe(0);
    const clock = createFakeClock({ nowTs: 1000 });
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 50);
    clock.advance(49);
    expect(fired).toEqual([]);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1);
    expect(fired).toEqual([1050]);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBe(1050);
  });

  it("fires in time order, ties in scheduling order, including timers scheduled while advancing", () => {
    const clock = createFakeClock();
    const order: string[] = [];
    clock.setTimeout(() => order.push("b"), 20);
    clock.setTimeout(() => {
      order.push("a");
      clock.setTimeout(() => order.push("nested"), 5);
    }, 10);
    clock.setTimeout(() => order.push("c"), 20);
    clock.advance(100);
    expect(order).toEqual(["a", "nested", "b", "c"]);
    expect(clock.now()).toBe(100);
  });

  it("clearTimeout cancels and ignores unknown handles", () => {
    const clock = createFakeClock();
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.clearTimeout(handle);
    clock.clearTimeout(handle);
    clock.clearTimeout("nonsense");
    clock.advance(10);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it("treats negative and NaN delays as 0 and rethrows the first callback error after advancing", () => {
    const clock = createFakeClock();
    const fired: string[] = [];
    clock.setTimeout(() => {
      throw new Error("first");
    }, Number.NaN);
    clock.setTimeout(() => fired.push("still runs"), -5);
    expect(() => clock.advance(0)).toThrow("first");
    expect(fired).toEqual(["still runs"]);
  });
});
