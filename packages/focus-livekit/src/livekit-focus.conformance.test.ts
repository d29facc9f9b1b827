import { describeFocusPluginConformance, type FocusConformanceHarness } from "@mxrtc/focus-testkit";
import { createLivekitFocusPlugin } from "./index.js";
import { createFakeRoom, type FakeRoom } from "./test-support/fake-room.js";
import {
  createFakeTokenService,
  FAKE_SERVICE_URL,
  type FakeTokenService,
} from "./test-support/fake-token-service.js";

interface LivekitHarness extends FocusConformanceHarness {
  readonly service: FakeTokenService;
  readonly rooms: FakeRoom[];
}

describeFocusPluginConformance<LivekitHarness>({
  name: "livekit focus (fake room, fake token service)",
  createHarness() {
    const service = createFakeTokenService();
    const rooms: FakeRoom[] = [];
    return {
      service,
      rooms,
      transport: () => ({ type: "livekit", livekit_service_url: FAKE_SERVICE_URL }),
      breakConnection() {
        // LiveKit tries to reconnect, then gives up: the room says so with Disconnected.
        for (const room of rooms) {
          room.emit("reconnecting");
          room.emit("disconnected", 14);
        }
      },
      unreachableTransport: () => ({
        type: "livekit",
        livekit_service_url: "http://unreachable.test/livekit/jwt",
      }),
    };
  },
  createPlugin: (harness) =>
    createLivekitFocusPlugin({
      fetch: harness.service.fetch,
      createRoom() {
        const room = createFakeRoom();
        harness.rooms.push(room);
        return room;
      },
    }),
  supports: { breakConnection: true, unreachableTransport: true },
});
