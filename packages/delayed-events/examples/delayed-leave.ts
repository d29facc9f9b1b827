/**
 * Runnable example: a delayed "leave" that a heartbeat keeps pushing back, against a real local
 * Synapse started by @mxrtc/stack.
 *
 *   cd /work/main && pnpm exec tsx --conditions=@mxrtc/source packages/delayed-events/examples/delayed-leave.ts
 */
import { setTimeout as sleep } from "node:timers/promises";
import { createMatrixClient } from "@mxrtc/matrix";
import { createCallRoom, registerUser, startSynapse } from "@mxrtc/stack";
import {
  createDelayedEventTransport,
  DelayedEventNotFoundError,
  DelayTooLongError,
} from "../src/index.js";

const synapse = await startSynapse({ log: (line) => console.log(`[stack] ${line}`) });
try {
  const user = await registerUser(synapse);
  const roomId = await createCallRoom(synapse, user);
  const matrix = createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: user.accessToken });
  const transport = createDelayedEventTransport({ matrix });

  console.log("limits:", await transport.limits());

  const stateKey = `_${user.userId}_${user.deviceId}_m.call`;
  const { delayId } = await transport.scheduleStateEvent({
    roomId,
    eventType: "org.matrix.msc3401.call.member",
    stateKey,
    content: {}, // the "leave"
    delayMs: 4000,
  });
  console.log("scheduled", delayId);

  for (let beat = 0; beat < 3; beat++) {
    await sleep(2000);
    await transport.restart(delayId); // heartbeat: still here
    console.log("restarted", delayId);
  }
  console.log("scheduled now:", await transport.listScheduled());

  await transport.send(delayId); // leave now
  try {
    await transport.restart(delayId);
  } catch (error) {
    if (DelayedEventNotFoundError.isInstance(error)) console.log("already sent:", error.errcode);
  }
  try {
    await transport.scheduleStateEvent({
      roomId,
      eventType: "m.x",
      stateKey: "",
      content: {},
      delayMs: 90_000_000,
    });
  } catch (error) {
    if (DelayTooLongError.isInstance(error))
      console.log("too long; max is", error.maxDelayMs, "ms");
  }
} finally {
  await synapse.stop();
}
