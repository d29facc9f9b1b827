import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumExecutablePath, launchChromium } from "./chromium.js";
import { StackError } from "./stack-error.js";

describe("chromium", () => {
  it("has the loopback and fake-media flags", () => {
    expect(CHROMIUM_ARGS).toContain("--allow-loopback-in-peer-connection");
    expect(CHROMIUM_ARGS).toContain("--use-fake-device-for-media-stream");
    expect(CHROMIUM_ARGS).toContain("--disable-quic");
    expect(CHROMIUM_ARGS.some((flag) => flag.startsWith("--user-data-dir"))).toBe(false);
  });

  it("names a missing executable with the install hint", () => {
    let caught: unknown;
    try {
      chromiumExecutablePath({ MXRTC_CHROMIUM: "/nonexistent/chromium" });
    } catch (error) {
      caught = error;
    }
    expect(StackError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toContain("pnpm stack install");
  });

  it("launches headless and getUserMedia gives a live fake video track", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto("data:text/html,<title>mxrtc</title>");
      expect(await page.title()).toBe("mxrtc");
      // A data: URL is not a secure context (no navigator.mediaDevices); http://127.0.0.1 is.
      const server = createServer((_request, response) => {
        response.setHeader("content-type", "text/html");
        response.end("<title>call</title>");
      });
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      const { port } = server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/`);
      server.close();
      const result = await page.evaluate(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
        const [video] = stream.getVideoTracks();
        const settings = video?.getSettings();
        const summary = {
          video: stream.getVideoTracks().length,
          audio: stream.getAudioTracks().length,
          state: video?.readyState,
          width: settings?.width ?? 0,
        };
        for (const track of stream.getTracks()) track.stop();
        return summary;
      });
      expect(result).toMatchObject({ video: 1, audio: 1, state: "live" });
      expect(result.width).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
    expect(browser.isConnected()).toBe(false);
  }, 60_000);
});
