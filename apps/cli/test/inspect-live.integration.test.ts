/** `mxrtc inspect --homeserver …` against the stack's real Synapse. */
import { createServer } from "node:net";
import { createMatrixClient } from "@mxrtc/matrix";
import { createCallRoom, joinRoom, type RegisteredUser, registerUser } from "@mxrtc/stack";
import {
  buildLegacyMembershipContent,
  buildStickyMembershipContent,
  LEGACY_MEMBERSHIP_EVENT_TYPE,
  legacyMembershipStateKey,
  UNSTABLE_RTC_MEMBER_EVENT_TYPE,
} from "@mxrtc/types";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { InspectReport } from "../src/inspect-report.js";
import { run } from "../src/run.js";
import { memoryIo } from "./memory-io.js";

const synapse = inject("synapse");
const transport = { type: "livekit", livekit_service_url: "http://127.0.0.1:9/jwt" };

let alice: RegisteredUser;
let bob: RegisteredUser;
let stranger: RegisteredUser;
let roomId: string;

beforeAll(async () => {
  alice = await registerUser(synapse, { deviceId: "ALICEDEV" });
  bob = await registerUser(synapse, { deviceId: "BOBDEV" });
  stranger = await registerUser(synapse, { deviceId: "STRANGER" });
  roomId = await createCallRoom(synapse, alice, { invite: [bob.userId] });
  await joinRoom(synapse, bob, roomId);
  const slotId = "m.call#ROOM";
  await createMatrixClient({
    baseUrl: synapse.baseUrl,
    accessToken: alice.accessToken,
  }).sendStateEvent(
    roomId,
    LEGACY_MEMBERSHIP_EVENT_TYPE,
    legacyMembershipStateKey({ userId: alice.userId, deviceId: alice.deviceId, slotId }),
    buildLegacyMembershipContent({ deviceId: alice.deviceId, slotId, transports: [transport] }),
  );
  await createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: bob.accessToken }).sendEvent(
    roomId,
    UNSTABLE_RTC_MEMBER_EVENT_TYPE,
    buildStickyMembershipContent({
      userId: bob.userId,
      deviceId: bob.deviceId,
      memberId: "bob-1",
      slotId,
      transports: [transport],
    }),
    { stickyDurationMs: 600_000 },
  );
});

function live(token: string, room: string, extra: string[] = []) {
  return ["inspect", "--homeserver", synapse.baseUrl, "--token", token, "--room", room, ...extra];
}

describe("mxrtc inspect --homeserver (real Synapse)", () => {
  it("lists a legacy and a sticky (MSC4354) member of the live room", async () => {
    const terminal = memoryIo();
    expect(await run(live(bob.accessToken, roomId, ["--json"]), terminal.io)).toBe(0);
    const report = JSON.parse(terminal.stdout()) as InspectReport;
    expect(report.input).toBe("live");
    expect(report.nowSource).toBe("clock");
    expect(Math.abs(report.now - Date.now())).toBeLessThan(30_000);
    const members = report.slots[0]?.members.map((member) => [member.userId, member.dialect]);
    expect(members).toEqual([
      [alice.userId, "legacy"],
      [bob.userId, "sticky"],
    ]);
    expect(terminal.stderr()).toBe("");
  });

  it("prints the text report judged at the clock", async () => {
    const terminal = memoryIo();
    expect(await run(live(alice.accessToken, roomId), terminal.io)).toBe(0);
    expect(terminal.stdout()).toContain("(live: this machine's clock)");
    expect(terminal.stdout()).toMatch(/Members \(2, oldest first\)/);
  });

  it("a second inspect right after the first sees new memberships (no stale cached /sync)", async () => {
    const room = await createCallRoom(synapse, alice, { invite: [bob.userId] });
    await joinRoom(synapse, bob, room);
    const members = async () => {
      const terminal = memoryIo();
      expect(await run(live(bob.accessToken, room, ["--json"]), terminal.io)).toBe(0);
      const report = JSON.parse(terminal.stdout()) as InspectReport;
      return report.slots[0]?.members.map((member) => member.userId) ?? [];
    };
    expect(await members()).toEqual([]);
    await createMatrixClient({
      baseUrl: synapse.baseUrl,
      accessToken: alice.accessToken,
    }).sendEvent(
      room,
      UNSTABLE_RTC_MEMBER_EVENT_TYPE,
      buildStickyMembershipContent({
        userId: alice.userId,
        deviceId: alice.deviceId,
        memberId: "alice-2",
        slotId: "m.call#ROOM",
        transports: [transport],
      }),
      { stickyDurationMs: 600_000 },
    );
    expect(await members()).toEqual([alice.userId]);
  });

  it("a bad token: one line naming M_UNKNOWN_TOKEN, exit 2", async () => {
    const terminal = memoryIo();
    expect(await run(live("not-a-token", roomId), terminal.io)).toBe(2);
    expect(terminal.stderr()).toMatch(/^mxrtc: .*M_UNKNOWN_TOKEN.*\n$/);
    expect(terminal.stdout()).toBe("");
  });

  it("a room the user has not joined: one line naming M_FORBIDDEN, exit 2", async () => {
    const terminal = memoryIo();
    expect(await run(live(stranger.accessToken, roomId), terminal.io)).toBe(2);
    expect(terminal.stderr()).toMatch(/^mxrtc: not allowed in room .*M_FORBIDDEN.*\n$/);
  });

  it("an unreachable homeserver: one line, exit 2", async () => {
    const port = await closedPort();
    const terminal = memoryIo();
    const argv = live(alice.accessToken, roomId);
    argv[2] = `http://127.0.0.1:${port}`;
    expect(await run(argv, terminal.io)).toBe(2);
    expect(terminal.stderr()).toMatch(
      /^mxrtc: cannot reach the homeserver at http:\/\/127\.0\.0\.1:\d+ \(network\).*\n$/,
    );
  });

  it("usage errors: missing --room or --token, exit 2", async () => {
    const terminal = memoryIo();
    expect(
      await run(["inspect", "--homeserver", synapse.baseUrl, "--token", "x"], terminal.io),
    ).toBe(2);
    expect(terminal.stderr()).toBe("mxrtc: missing --room <room id>\n");
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
