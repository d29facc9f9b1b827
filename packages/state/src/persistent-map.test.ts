import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashString, PersistentMap } from "./persistent-map.js";

describe("PersistentMap", () => {
  it("stores, replaces and removes values without touching older versions", () => {
    const empty = PersistentMap.empty<number>();
    const one = empty.set("a", 1);
    const two = one.set("b", 2);
    const replaced = two.set("a", 3);
    const removed = replaced.remove("b");
    expect(empty.size).toBe(0);
    expect(one.get("a")).toBe(1);
    expect(two.get("b")).toBe(2);
    expect(replaced.get("a")).toBe(3);
    expect(two.get("a")).toBe(1);
    expect(removed.has("b")).toBe(false);
    expect(removed.size).toBe(1);
    expect(replaced.size).toBe(2);
  });

  it("returns the same map when nothing changes", () => {
    const map = PersistentMap.empty<number>().set("a", 1);
    expect(map.set("a", 1)).toBe(map);
    expect(map.remove("missing")).toBe(map);
  });

  it("keeps keys whose hashes collide apart", () => {
    // Find two distinct keys with the same 32-bit hash prefix in the lowest 10 bits at least.
    const keys = Array.from({ length: 5000 }, (_, index) => `key-${index}`);
    let map = PersistentMap.empty<string>();
    for (const key of keys) map = map.set(key, key.toUpperCase());
    expect(map.size).toBe(keys.length);
    for (const key of keys) expect(map.get(key)).toBe(key.toUpperCase());
    for (const key of keys.slice(0, 2500)) map = map.remove(key);
    expect(map.size).toBe(2500);
    expect(map.get("key-1")).toBeUndefined();
    expect(map.get("key-4999")).toBe("KEY-4999");
    expect([...map.values()]).toHaveLength(2500);
  });

  it("hashes deterministically", () => {
    expect(hashString("abc")).toBe(hashString("abc"));
    expect(hashString("abc")).not.toBe(hashString("abd"));
  });

  it("behaves like a Map under random operations", () => {
    const operation = fc.oneof(
      fc.record({
        kind: fc.constant("set" as const),
        key: fc.string({ maxLength: 3 }),
        value: fc.integer(),
      }),
      fc.record({ kind: fc.constant("remove" as const), key: fc.string({ maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        let map = PersistentMap.empty<number>();
        const model = new Map<string, number>();
        for (const step of operations) {
          if (step.kind === "set") {
            map = map.set(step.key, step.value);
            model.set(step.key, step.value);
          } else {
            map = map.remove(step.key);
            model.delete(step.key);
          }
        }
        expect(map.size).toBe(model.size);
        for (const [key, value] of model) expect(map.get(key)).toBe(value);
        expect(new Map(map.entries())).toEqual(model);
      }),
    );
  });
});
