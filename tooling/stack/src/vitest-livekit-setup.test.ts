import { RoomServiceClient } from "livekit-server-sdk";
import { expect, inject, it } from "vitest";
import "./provided-context.js";

it("the global setup provides a running LiveKit on loopback", async () => {
  const livekit = inject("livekit");
  expect(livekit.url).toBe(`ws://127.0.0.1:${livekit.port}`);
  const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
  await rooms.createRoom({ name: "from-global-setup", emptyTimeout: 30 });
  const listed = await rooms.listRooms(["from-global-setup"]);
  expect(listed.map((room) => room.name)).toEqual(["from-global-setup"]);
});
