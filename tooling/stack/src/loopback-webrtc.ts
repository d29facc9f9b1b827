import type { BrowserContext } from "playwright-core";

/**
 * A page script that keeps a page's WebRTC on loopback: every `RTCPeerConnection` drops its ICE
 * servers (no STUN/TURN queries), and only 127.0.0.0/8 and ::1 candidates reach the page's code,
 * in `icecandidate` events and in SDP (`a=candidate` lines of offers, answers and
 * `localDescription`).
 *
 * @remarks The machines have a non-loopback interface and Chromium gathers candidates on it; an
 * SFU or peer would then be reached through that address. Install it before any page script runs
 * (`context.addInitScript`), e.g. with {@link restrictWebRtcToLoopback}. Written as plain
 * JavaScript in a string so no bundler helper leaks into the page.
 *
 * @example
 * ```ts
 * await context.addInitScript({ content: LOOPBACK_WEBRTC_INIT_SCRIPT });
 * ```
 */
export const LOOPBACK_WEBRTC_INIT_SCRIPT = `(() => {
  const Native = globalThis.RTCPeerConnection;
  if (typeof Native !== "function" || Native.mxrtcLoopbackOnly) return;
  const isLoopback = (line) => {
    const parts = String(line).replace(/^a=/, "").split(" ");
    const address = parts[4] || "";
    return address === "::1" || address.startsWith("127.");
  };
  const stripSdp = (sdp) =>
    typeof sdp === "string"
      ? sdp.split("\\r\\n").filter((line) => !line.startsWith("a=candidate:") || isLoopback(line)).join("\\r\\n")
      : sdp;
  const stripDescription = (description) =>
    description && typeof description.sdp === "string"
      ? { type: description.type, sdp: stripSdp(description.sdp) }
      : description;
  class LoopbackPeerConnection extends Native {
    constructor(configuration, ...rest) {
      super({ ...(configuration || {}), iceServers: [] }, ...rest);
      this.addEventListener("icecandidate", (event) => {
        const candidate = event.candidate;
        if (candidate && candidate.candidate && !isLoopback(candidate.candidate)) {
          event.stopImmediatePropagation();
        }
      });
    }
    setConfiguration(configuration) {
      return super.setConfiguration({ ...(configuration || {}), iceServers: [] });
    }
    async createOffer(...args) {
      return stripDescription(await super.createOffer(...args));
    }
    async createAnswer(...args) {
      return stripDescription(await super.createAnswer(...args));
    }
    get localDescription() {
      const description = super.localDescription;
      return description ? new RTCSessionDescription(stripDescription(description)) : description;
    }
    get currentLocalDescription() {
      const description = super.currentLocalDescription;
      return description ? new RTCSessionDescription(stripDescription(description)) : description;
    }
    get pendingLocalDescription() {
      const description = super.pendingLocalDescription;
      return description ? new RTCSessionDescription(stripDescription(description)) : description;
    }
  }
  LoopbackPeerConnection.mxrtcLoopbackOnly = true;
  globalThis.RTCPeerConnection = LoopbackPeerConnection;
  if (globalThis.webkitRTCPeerConnection) globalThis.webkitRTCPeerConnection = LoopbackPeerConnection;
})();`;

/**
 * Keeps WebRTC in every page of a Playwright browser context on loopback (see
 * {@link LOOPBACK_WEBRTC_INIT_SCRIPT}).
 *
 * @remarks Call it right after `browser.newContext()`, before opening pages. Together with the
 * SFU's loopback config and Chromium's `--allow-loopback-in-peer-connection`, media then flows
 * 127.0.0.1 ↔ 127.0.0.1 only.
 *
 * @example
 * ```ts
 * const context = await browser.newContext();
 * await restrictWebRtcToLoopback(context);
 * const page = await context.newPage();
 * ```
 */
export async function restrictWebRtcToLoopback(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: LOOPBACK_WEBRTC_INIT_SCRIPT });
}
