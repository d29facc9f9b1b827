/**
 * The same session over `fromMatrixJsSdk(client)`: bob runs a started matrix-js-sdk client and
 * hands it to the session (external feed: the js-sdk client owns the sync loop); alice uses
 * `createMatrixClient`. Each lists the other.
 */
import { createMatrixClient, fromMatrixJsSdk } from "@mxrtc/matrix";
import { createCallRoom, joinRoom, registerUser } from "@mxrtc/stack";
import { createClient } from "matrix-js-sdk";
import { afterAll, expect, inject, it } from "vitest";
import { createRtcSession } from "../src/create-rtc-session.js";
import type { RtcSession } from "../src/session-options.js";
import { createFakeFocusPlugin } from "./fake-focus-plugin.js";
import { waitFor } from "./wait-for.js";

const synapse = inject("synapse");
const silent = () => undefined;
const logger = {
  trace: silent,
  debug: silent,
  info: silent,
  warn: silent,
  error: silent,
  getChild: () => logger,
};
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

it("a session over fromMatrixJsSdk and one over createMatrixClient list each other", async () => {
  const alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  const bob = await registerUser(synapse, { deviceId: "BOBJSSDK" });
  const roomId = await createCallRoom(synapse, alice, { invite: [bob.userId] });
  await joinRoom(synapse, bob, roomId);
  const transport = (name: string) => ({
    type: "livekit",
    livekit_service_url: `http://127.0.0.1:9/${name}`,
    livekit_alias: roomId,
  });

  const client = createClient({
    baseUrl: synapse.baseUrl,
    accessToken: bob.accessToken,
    userId: bob.userId,
    deviceId: bob.deviceId,
    logger,
  });
  await client.startClient({ initialSyncLimit: 10 });
  cleanups.push(() => client.stopClient());
  const bobSession: RtcSession = createRtcSession({
    matrix: fromMatrixJsSdk(client),
    roomId,
    plugins: [createFakeFocusPlugin("livekit").plugin],
    transports: [transport("bob")],
  });
  cleanups.push(() => bobSession.close());
  const aliceSession: RtcSession = createRtcSession({
    matrix: createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: alice.accessToken }),
    roomId,
    plugins: [createFakeFocusPlugin("livekit").plugin],
    transports: [transport("alice")],
  });
  cleanups.push(() => aliceSession.close());

  await aliceSession.join();
  await bobSession.join();
  const lists = (session: RtcSession, userId: string, deviceId: string) =>
    session.memberships.some((member) => member.userId === userId && member.deviceId === deviceId);
  await waitFor("bob (js-sdk) lists alice", () => lists(bobSession, alice.userId, "ALICEDEV"));
  await waitFor("alice lists bob (js-sdk)", () => lists(aliceSession, bob.userId, "BOBJSSDK"));
  await waitFor("bob (js-sdk) lists himself", () => lists(bobSession, bob.userId, "BOBJSSDK"));
  expect(bobSession.memberships.find((member) => member.isLocal)).toMatchObject({
    userId: bob.userId,
    deviceId: "BOBJSSDK",
    transports: [transport("bob")],
  });
  expect(bobSession.transport).toEqual(transport("alice"));
  await bobSession.leave();
  await waitFor("alice sees bob leave", () => !lists(aliceSession, bob.userId, "BOBJSSDK"), 2000);
});
