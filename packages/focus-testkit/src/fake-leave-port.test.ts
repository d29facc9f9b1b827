import { describe, expect, it } from "vitest";
import { createFakeLeavePort } from "./fake-leave-port.js";

describe("createFakeLeavePort", () => {
  it("is a v1 port that records every call, repeated ones included", () => {
    const leavePort = createFakeLeavePort();
    expect(leavePort.specificationVersion).toBe("v1");
    expect(leavePort.callCount).toBe(0);
    const cause = new Error("ice");
    leavePort.reportDisconnect({ reason: "media-connection-lost", cause });
    leavePort.reportDisconnect({ reason: "kicked", message: "bye" });
    expect(leavePort.callCount).toBe(2);
    expect(leavePort.reports).toEqual([
      { reason: "media-connection-lost", cause },
      { reason: "kicked", message: "bye" },
    ]);
  });

  it("notifies report listeners until they unsubscribe, and reset forgets reports", () => {
    const leavePort = createFakeLeavePort();
    const seen: string[] = [];
    const stop = leavePort.onReport((report) => seen.push(report.reason));
    leavePort.reportDisconnect({ reason: "server-left" });
    stop();
    stop();
    leavePort.reportDisconnect({ reason: "unknown" });
    expect(seen).toEqual(["server-left"]);
    leavePort.reset();
    expect(leavePort.callCount).toBe(0);
    expect(leavePort.reports).toEqual([]);
  });
});
