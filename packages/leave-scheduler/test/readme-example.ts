/**
 * The README example, type-checked by `tsc -p tsconfig.json` (this folder is in `include`).
 * Not run: it needs a homeserver.
 */
import { createDelayedEventTransport } from "@mxrtc/delayed-events";
import { createMatrixClient } from "@mxrtc/matrix";
import { createLeaveScheduler, createLocalStorageDelayIdStorage } from "../src/index.js";

declare const accessToken: string;
declare const roomId: string;
declare const stateKey: string;
declare const membershipContent: Record<string, unknown>;
declare function showReconnecting(probablyLeft: boolean): void;

export async function readmeExample(): Promise<void> {
  const matrix = createMatrixClient({ baseUrl: "https://matrix.example.org", accessToken });
  const type = "org.matrix.msc3401.call.member";
  const scheduler = createLeaveScheduler({
    delayedEvents: createDelayedEventTransport({ matrix }),
    matrix,
    leave: { kind: "state", roomId, eventType: type, stateKey, content: {} },
    storage: createLocalStorageDelayIdStorage(), // a reloaded tab cancels its old delayed leave
  });
  scheduler.on("probably-left", ({ probablyLeft }) => showReconnecting(probablyLeft));
  await scheduler.join(async ({ signal }) => {
    await matrix.sendStateEvent(roomId, type, stateKey, membershipContent, { signal });
  });
  // Give scheduler.leavePort to the focus plugin: media lost → leave sent at once.
  await scheduler.leave();
}
