import { MatrixError } from "@mxrtc/matrix";
import { describe, expect, it } from "vitest";
import { checkPowerLevel, isForbidden } from "./power-levels.js";

const TYPE = "org.matrix.msc3401.call.member";

describe("checkPowerLevel", () => {
  it("reads events[type], else state_default / events_default, against users[me] ?? users_default", () => {
    expect(
      checkPowerLevel(
        { events: { [TYPE]: 50 } },
        { userId: "@b:hs", eventType: TYPE, isState: true },
      ),
    ).toEqual({ allowed: false, requiredPowerLevel: 50, userPowerLevel: 0 });
    expect(
      checkPowerLevel(
        { state_default: 20, users_default: 10, users: { "@b:hs": 30 } },
        { userId: "@b:hs", eventType: TYPE, isState: true },
      ),
    ).toEqual({ allowed: true, requiredPowerLevel: 20, userPowerLevel: 30 });
    expect(
      checkPowerLevel(
        {},
        { userId: "@b:hs", eventType: "org.matrix.msc4143.rtc.member", isState: false },
      ),
    ).toEqual({ allowed: true, requiredPowerLevel: 0, userPowerLevel: 0 });
    expect(checkPowerLevel({}, { userId: "@b:hs", eventType: TYPE, isState: true }).allowed).toBe(
      false,
    );
  });

  it("treats a room without power levels as open and malformed fields as defaults", () => {
    expect(checkPowerLevel(undefined, { userId: "@b:hs", eventType: TYPE, isState: true })).toEqual(
      {
        allowed: true,
        requiredPowerLevel: 0,
        userPowerLevel: 0,
      },
    );
    expect(
      checkPowerLevel(
        { events: { [TYPE]: "high" }, users: [] },
        { userId: "@b:hs", eventType: TYPE, isState: true },
      ).requiredPowerLevel,
    ).toBe(50);
  });
});

describe("isForbidden", () => {
  it("finds a 403 anywhere in the cause chain", () => {
    const forbidden = new MatrixError({ status: 403, errcode: "M_FORBIDDEN", body: {} });
    expect(isForbidden(forbidden)).toBe(true);
    expect(isForbidden(new Error("wrapped", { cause: new Error("x", { cause: forbidden }) }))).toBe(
      true,
    );
    expect(isForbidden(new MatrixError({ status: 500, body: {} }))).toBe(false);
    expect(isForbidden("403")).toBe(false);
  });
});
