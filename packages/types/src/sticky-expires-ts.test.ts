import { describe, expect, it } from "vitest";
import { stickyExpiresTs } from "./sticky-expires-ts.js";

const hour = 3_600_000;

describe("stickyExpiresTs", () => {
  it("is undefined for events that are not sticky", () => {
    expect(stickyExpiresTs({ origin_server_ts: 1000 })).toBeUndefined();
    expect(stickyExpiresTs({ origin_server_ts: 1000, sticky: {} })).toBeUndefined();
    expect(
      stickyExpiresTs({ origin_server_ts: 1000, sticky: { duration_ms: "1" } }),
    ).toBeUndefined();
    expect(stickyExpiresTs(null)).toBeUndefined();
    expect(stickyExpiresTs([1, 2])).toBeUndefined();
  });

  it("counts from origin_server_ts, reading the stable and unstable keys", () => {
    expect(stickyExpiresTs({ origin_server_ts: 1000, sticky: { duration_ms: 60_000 } })).toBe(
      61_000,
    );
    expect(
      stickyExpiresTs({ origin_server_ts: 1000, msc4354_sticky: { duration_ms: 60_000 } }),
    ).toBe(61_000);
  });

  it("caps the duration at one hour and floors it at zero", () => {
    expect(stickyExpiresTs({ origin_server_ts: 0, sticky: { duration_ms: 10 * hour } })).toBe(hour);
    expect(stickyExpiresTs({ origin_server_ts: 500, sticky: { duration_ms: -5 } })).toBe(500);
  });

  it("uses the unsigned ttl from receivedTs when both are known", () => {
    const event = {
      origin_server_ts: 1000,
      sticky: { duration_ms: hour },
      unsigned: { sticky_duration_ttl_ms: 30_000 },
    };
    expect(stickyExpiresTs(event, 50_000)).toBe(80_000);
    const unstable = {
      origin_server_ts: 1000,
      msc4354_sticky: { duration_ms: hour },
      unsigned: { msc4354_sticky_duration_ttl_ms: 2 * hour },
    };
    expect(stickyExpiresTs(unstable, 50_000)).toBe(50_000 + hour);
  });

  it("ignores the ttl without receivedTs, and takes min(origin, received) otherwise", () => {
    const event = {
      origin_server_ts: 1000,
      sticky: { duration_ms: hour },
      unsigned: { sticky_duration_ttl_ms: 30_000 },
    };
    expect(stickyExpiresTs(event)).toBe(1000 + hour);
    expect(stickyExpiresTs({ origin_server_ts: 9_000, sticky: { duration_ms: 1000 } }, 5_000)).toBe(
      6_000,
    );
    expect(
      stickyExpiresTs({ origin_server_ts: 9_000, sticky: { duration_ms: 1000 } }, 20_000),
    ).toBe(10_000);
  });

  it("falls back to receivedTs without origin_server_ts, and gives up without either", () => {
    expect(stickyExpiresTs({ sticky: { duration_ms: 1000 } }, 7_000)).toBe(8_000);
    expect(stickyExpiresTs({ sticky: { duration_ms: 1000 } })).toBeUndefined();
  });

  it("does not throw on hostile input", () => {
    const event = Object.defineProperty({}, "sticky", {
      get() {
        throw new Error("boom");
      },
    });
    expect(stickyExpiresTs(event, 1)).toBeUndefined();
  });
});
