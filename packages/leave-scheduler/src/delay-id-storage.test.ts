import { describe, expect, it } from "vitest";
import {
  createLocalStorageDelayIdStorage,
  createMemoryDelayIdStorage,
  type WebStorageLike,
} from "./delay-id-storage.js";

function createWebStorage(): WebStorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
    removeItem: (key) => {
      items.delete(key);
    },
  };
}

describe("createMemoryDelayIdStorage", () => {
  it("stores, reads and deletes", () => {
    const storage = createMemoryDelayIdStorage();
    storage.set("a", "delay-1");
    expect(storage.get("a")).toBe("delay-1");
    storage.set("a", undefined);
    expect(storage.get("a")).toBeUndefined();
    expect(storage.entries().size).toBe(0);
  });
});

describe("createLocalStorageDelayIdStorage", () => {
  it("prefixes keys and removes on undefined", () => {
    const web = createWebStorage();
    const storage = createLocalStorageDelayIdStorage({ storage: web, prefix: "p:" });
    storage.set("room|type|key", "delay-9");
    expect(web.items.get("p:room|type|key")).toBe("delay-9");
    expect(storage.get("room|type|key")).toBe("delay-9");
    storage.set("room|type|key", undefined);
    expect(web.items.size).toBe(0);
  });

  it("uses globalThis.localStorage when present, looked up at call time", () => {
    const web = createWebStorage();
    const storage = createLocalStorageDelayIdStorage();
    const globals = globalThis as { localStorage?: WebStorageLike };
    globals.localStorage = web;
    try {
      storage.set("k", "v");
      expect(web.items.get("mxrtc:leave-scheduler:k")).toBe("v");
    } finally {
      delete globals.localStorage;
    }
  });

  it("does nothing without localStorage (Node, workers)", () => {
    const storage = createLocalStorageDelayIdStorage();
    expect(() => storage.set("k", "v")).not.toThrow();
    expect(storage.get("k")).toBeUndefined();
  });

  it("swallows a throwing storage (private mode, quota)", () => {
    const throwing: WebStorageLike = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {
        throw new Error("SecurityError");
      },
    };
    const storage = createLocalStorageDelayIdStorage({ storage: throwing });
    expect(() => storage.set("k", "v")).not.toThrow();
    expect(() => storage.set("k", undefined)).not.toThrow();
    expect(storage.get("k")).toBeUndefined();
  });
});
