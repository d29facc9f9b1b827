import { describe, expect, it } from "vitest";
import { createHomeserverResolver } from "./homeserver-resolver.js";
import { LivekitAuthError } from "./livekit-auth-error.js";

function wellKnownFetch(replies: Record<string, Response | (() => Response)>) {
  const requests: string[] = [];
  const fetchImpl: typeof fetch = async (input) => {
    const url = String(input);
    requests.push(url);
    const reply = replies[url];
    if (reply === undefined) throw new TypeError("fetch failed");
    return typeof reply === "function" ? reply() : reply;
  };
  return { fetchImpl, requests };
}

describe("createHomeserverResolver", () => {
  it("prefers the override map", async () => {
    const { fetchImpl, requests } = wellKnownFetch({});
    const resolver = createHomeserverResolver({
      overrides: { localhost: "http://127.0.0.1:8008/" },
      fetch: fetchImpl,
    });
    expect(await resolver.resolve("localhost")).toBe("http://127.0.0.1:8008");
    expect(requests).toEqual([]);
  });

  it("reads m.homeserver.base_url from .well-known/matrix/client and caches it", async () => {
    const { fetchImpl, requests } = wellKnownFetch({
      "https://example.com/.well-known/matrix/client": () =>
        Response.json({ "m.homeserver": { base_url: "https://matrix.example.com/" } }),
    });
    let now = 0;
    const resolver = createHomeserverResolver({
      fetch: fetchImpl,
      clock: { now: () => now, setTimeout: () => 0, clearTimeout: () => {} },
    });
    expect(await resolver.resolve("example.com")).toBe("https://matrix.example.com");
    expect(await resolver.resolve("example.com")).toBe("https://matrix.example.com");
    expect(requests).toHaveLength(1);
    now = 4 * 3600 * 1000 + 1;
    await resolver.resolve("example.com");
    expect(requests).toHaveLength(2);
  });

  it("falls back to https://<name> when there is no .well-known", async () => {
    const { fetchImpl } = wellKnownFetch({
      "https://example.org/.well-known/matrix/client": new Response("", { status: 404 }),
    });
    expect(await createHomeserverResolver({ fetch: fetchImpl }).resolve("example.org")).toBe(
      "https://example.org",
    );
  });

  it.each([
    ["an unreachable server", {}],
    [
      "a broken .well-known",
      { "https://example.net/.well-known/matrix/client": Response.json({ "m.homeserver": {} }) },
    ],
    [
      "a 500",
      { "https://example.net/.well-known/matrix/client": new Response("", { status: 500 }) },
    ],
  ])("throws homeserver-unreachable for %s", async (_name, replies) => {
    const { fetchImpl } = wellKnownFetch(replies);
    const error = await createHomeserverResolver({ fetch: fetchImpl })
      .resolve("example.net")
      .catch((caught: unknown) => caught);
    expect(LivekitAuthError.isInstance(error) && error.code).toBe("homeserver-unreachable");
  });

  it("refuses server names that would steer the request elsewhere", async () => {
    const { fetchImpl, requests } = wellKnownFetch({});
    const error = await createHomeserverResolver({ fetch: fetchImpl })
      .resolve("evil.com/x?")
      .catch((caught: unknown) => caught);
    expect(LivekitAuthError.isInstance(error)).toBe(true);
    expect(requests).toEqual([]);
  });
});
