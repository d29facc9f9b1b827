/** `mxrtc doctor` against real Synapses: one with a (fake) LiveKit focus service advertised, and the global one without. */
import {
  createCallRoom,
  joinRoom,
  type RegisteredUser,
  registerUser,
  type SynapseHandle,
  startSynapse,
} from "@mxrtc/stack";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DoctorResult } from "../src/doctor-check.js";
import { run } from "../src/run.js";
import type { DoctorReport } from "../src/run-doctor.js";
import { type FakeFocusService, startFakeFocusService } from "./fake-focus-service.js";
import { memoryIo } from "./memory-io.js";

let focus: FakeFocusService;
let synapse: SynapseHandle;
let doctor: RegisteredUser;
let owner: RegisteredUser;
let roomId: string;

beforeAll(async () => {
  focus = await startFakeFocusService();
  synapse = await startSynapse({
    transports: [{ type: "livekit", livekit_service_url: focus.serviceUrl }],
  });
  focus.homeserverBaseUrl = synapse.baseUrl;
  owner = await registerUser(synapse, { deviceId: "OWNER" });
  doctor = await registerUser(synapse, { deviceId: "DOCTOR" });
  roomId = await createCallRoom(synapse, owner, { invite: [doctor.userId] });
  await joinRoom(synapse, doctor, roomId);
}, 60_000);

afterAll(async () => {
  await synapse?.stop();
  await focus?.close();
});

async function doctorJson(argv: string[]) {
  const terminal = memoryIo();
  const code = await run(["doctor", ...argv, "--json"], terminal.io);
  const report = JSON.parse(terminal.stdout()) as DoctorReport;
  const byId = (id: string): DoctorResult | undefined =>
    report.results.find((result) => result.id === id);
  return { code, report, byId };
}

describe("mxrtc doctor (real Synapse + a focus service that verifies OpenID tokens)", () => {
  it("--write: every check a call needs passes, for real, exit 0", async () => {
    const before = focus.verified.length;
    const { code, report, byId } = await doctorJson([
      "--homeserver",
      synapse.baseUrl,
      "--token",
      doctor.accessToken,
      "--write",
      roomId,
    ]);
    expect(report.results.filter((r) => r.status === "fail")).toEqual([]);
    expect(code).toBe(0);
    expect(byId("msc4140")?.status).toBe("ok");
    expect(byId("msc4354")?.status).toBe("ok");
    expect(byId("msc4143")?.status).toBe("ok");
    expect(byId("delayed-event-limits")?.message).toContain("max_delay_ms 86400000");
    expect(byId("rtc-transports")?.message).toContain(focus.serviceUrl);
    expect(byId(`well-known:${synapse.baseUrl}`)?.status).toBe("ok");
    // The server name "localhost" has no HTTPS .well-known here: a warning, not a failure.
    expect(byId("well-known:https://localhost")?.status).toBe("warn");
    expect(byId(`focus-health:${focus.serviceUrl}`)?.status).toBe("ok");
    expect(byId(`focus-token:${focus.serviceUrl}`)?.status).toBe("ok");
    expect(focus.verified.slice(before)).toEqual([doctor.userId]);
    expect(byId("power-level")?.status).toBe("ok");
    expect(byId("delayed-event")?.message).toMatch(
      /scheduled at our own state key, restarted \(\d+ ms\), listed and cancelled/,
    );
  });

  it("without --write the token request is skipped as a warning; exit 0", async () => {
    const { code, byId } = await doctorJson([
      "--homeserver",
      synapse.baseUrl,
      "--token",
      doctor.accessToken,
    ]);
    expect(code).toBe(0);
    expect(byId(`focus-token:${focus.serviceUrl}`)).toMatchObject({
      status: "warn",
      message: expect.stringContaining("needs --write ROOM_ID"),
    });
    expect(byId("delayed-event")).toBeUndefined();
  });

  it("without --token the .well-known alone is a transport source; exit 0", async () => {
    const { code, byId } = await doctorJson(["--homeserver", synapse.baseUrl]);
    expect(code).toBe(0);
    expect(byId("token")?.status).toBe("warn");
    expect(byId("transport-source")?.status).toBe("ok");
  });

  it("a room where members may not send call memberships fails the power-level check; exit 1", async () => {
    const strict = await createCallRoom(synapse, owner, {
      invite: [doctor.userId],
      memberLevel: 50,
    });
    await joinRoom(synapse, doctor, strict);
    const { code, byId } = await doctorJson([
      "--homeserver",
      synapse.baseUrl,
      "--token",
      doctor.accessToken,
      "--write",
      strict,
    ]);
    expect(code).toBe(1);
    expect(byId("power-level")).toMatchObject({
      status: "fail",
      message: expect.stringContaining("needs 50"),
    });
  });

  it("--write with a room the user has not joined fails with M_FORBIDDEN; exit 1", async () => {
    const closed = await createCallRoom(synapse, owner);
    const { code, byId } = await doctorJson([
      "--homeserver",
      synapse.baseUrl,
      "--token",
      doctor.accessToken,
      "--write",
      closed,
    ]);
    expect(code).toBe(1);
    expect(byId("power-level")?.message).toContain("M_FORBIDDEN");
    // Synapse schedules (and restarts, cancels) a delayed event in a room the user is not in:
    // membership and power levels are only checked when it is sent (MSC4140). That is why the
    // power-level check exists.
    expect(byId("delayed-event")?.status).toBe("ok");
  });

  it("a stopped focus service fails its health and token checks; exit 1", async () => {
    const other = await startFakeFocusService();
    other.homeserverBaseUrl = synapse.baseUrl;
    await other.close();
    const lonely = await startSynapse({
      transports: [{ type: "livekit", livekit_service_url: other.serviceUrl }],
    });
    try {
      const user = await registerUser(lonely, { deviceId: "DOC2" });
      const room = await createCallRoom(lonely, user);
      const { code, byId } = await doctorJson([
        "--homeserver",
        lonely.baseUrl,
        "--token",
        user.accessToken,
        "--write",
        room,
      ]);
      expect(code).toBe(1);
      expect(byId(`focus-health:${other.serviceUrl}`)?.status).toBe("fail");
      expect(byId(`focus-token:${other.serviceUrl}`)?.status).toBe("fail");
      expect(byId("delayed-event")?.status).toBe("ok");
    } finally {
      await lonely.stop();
    }
  });
});

describe("mxrtc doctor (the global Synapse, no transports advertised)", () => {
  const global = inject("synapse");

  it("plain ASCII lines with the fix; no transport source fails; exit 1", async () => {
    const user = await registerUser(global, { deviceId: "DOC3" });
    const terminal = memoryIo({ stdoutIsTty: false });
    const code = await run(
      ["doctor", "--homeserver", global.baseUrl, "--token", user.accessToken],
      terminal.io,
    );
    expect(code).toBe(1);
    const text = terminal.stdout();
    expect(text).toMatch(/^\[ok\] {3}delayed events \(MSC4140\) advertised/m);
    expect(text).toMatch(/^\[FAIL\] no transport found in \/rtc\/transports or \.well-known/m);
    expect(text).toMatch(/^ {7}fix: advertise your focus service/m);
    expect(text).toContain("1 check a call needs failed");
    expect(text).not.toContain("✓");
  });

  it("✓/✗ markers on a terminal, plain again with NO_COLOR", async () => {
    const tty = memoryIo({ stdoutIsTty: true, env: {} });
    await run(["doctor", "--homeserver", global.baseUrl], tty.io);
    expect(tty.stdout()).toContain("✓");
    expect(tty.stdout()).toContain("✗");
    const noColor = memoryIo({ stdoutIsTty: true, env: { NO_COLOR: "1" } });
    await run(["doctor", "--homeserver", global.baseUrl], noColor.io);
    expect(noColor.stdout()).not.toContain("✓");
  });

  it("a rejected token fails; an unreachable homeserver fails /versions; usage errors exit 2", async () => {
    const bad = await doctorJson(["--homeserver", global.baseUrl, "--token", "nope"]);
    expect(bad.code).toBe(1);
    expect(bad.byId("token")?.message).toContain("M_UNKNOWN_TOKEN");
    const down = await doctorJson(["--homeserver", "http://127.0.0.1:9"]);
    expect(down.code).toBe(1);
    expect(down.byId("versions")?.status).toBe("fail");
    const usage = memoryIo();
    expect(await run(["doctor"], usage.io)).toBe(2);
    expect(usage.stderr()).toBe("mxrtc: missing --homeserver <url>\n");
    expect(await run(["doctor", "--homeserver", global.baseUrl, "--write", "!r:x"], usage.io)).toBe(
      2,
    );
  });
});
