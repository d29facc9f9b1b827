/**
 * Runnable example: both factories against a real local Synapse started by @mxrtc/stack.
 * Alice uses the fetch client; Bob runs matrix-js-sdk and reads the same room through
 * fromMatrixJsSdk without a second sync loop.
 *
 *   cd /work/main && pnpm exec tsx --conditions=@mxrtc/source packages/matrix/examples/both-factories.ts
 */
import { createCallRoom, joinRoom, registerUser, startSynapse } from "@mxrtc/stack";
import { createClient } from "matrix-js-sdk";
import { createMatrixClient, fromMatrixJsSdk, MatrixError } from "../src/index.js";

const synapse = await startSynapse({ log: (line) => console.log(`[stack] ${line}`) });
const quiet = () => undefined;
const logger = {
  trace: quiet,
  debug: quiet,
  info: quiet,
  warn: quiet,
  error: quiet,
  getChild: () => logger,
};
try {
  const aliceUser = await registerUser(synapse, { localpart: `alice${Date.now()}` });
  const bobUser = await registerUser(synapse, { localpart: `bob${Date.now()}` });
  const roomId = await createCallRoom(synapse, aliceUser, { invite: [bobUser.userId] });
  await joinRoom(synapse, bobUser, roomId);

  // 1. The fetch client.
  const alice = createMatrixClient({
    baseUrl: synapse.baseUrl,
    accessToken: aliceUser.accessToken,
  });
  const { userId, deviceId } = await alice.whoami();
  const { unstableFeatures } = await alice.versions();
  console.log(
    "alice is",
    userId,
    deviceId,
    "delayed events:",
    unstableFeatures["org.matrix.msc4140"],
  );

  const stateKey = `_${userId}_${deviceId}_m.call`;
  const { delayId } = await alice.sendStateEvent(
    roomId,
    "org.matrix.msc3401.call.member",
    stateKey,
    {},
    { delayMs: 60_000 },
  );
  console.log("delayed leave scheduled:", delayId);
  const { eventId } = await alice.sendEvent(
    roomId,
    "org.matrix.msc4143.rtc.member",
    {
      msc4354_sticky_key: "alice-member",
      member: { id: "alice-member", user_id: userId, device_id: deviceId },
    },
    { stickyDurationMs: 3_600_000 },
  );
  console.log("sticky membership sent:", eventId);

  // 2. matrix-js-sdk, adopted through fromMatrixJsSdk.
  const bobClient = createClient({
    baseUrl: synapse.baseUrl,
    accessToken: bobUser.accessToken,
    userId: bobUser.userId,
    deviceId: bobUser.deviceId,
    logger,
  });
  await bobClient.startClient();
  const bob = fromMatrixJsSdk(bobClient);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 15_000);
  for await (const batch of bob.sync({ signal: controller.signal })) {
    const room = batch.rooms[roomId];
    // A snapshot lists a sticky event both in `sticky` and in the recent `timeline`.
    const byId = new Map(
      [...(room?.timeline ?? []), ...(room?.sticky ?? [])].map((event) => [event.event_id, event]),
    );
    const sticky = [...byId.values()].filter(
      (event) => event.type === "org.matrix.msc4143.rtc.member",
    );
    console.log(
      `bob ${batch.initial ? "initial" : "delta"} batch: ${room?.state.length ?? 0} state events, rtc members:`,
      sticky.map((event) => event.sender),
    );
    if (sticky.length > 0) break;
  }
  bobClient.stopClient();

  // 3. Errors are typed.
  const error = await alice.getRoomState("!missing:localhost").catch((caught: unknown) => caught);
  if (MatrixError.isInstance(error)) console.log("expected error:", error.status, error.errcode);
} finally {
  await synapse.stop();
}
