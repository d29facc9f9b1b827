import { describe, expect, it } from "vitest";
import { matrixPath } from "./matrix-path.js";

describe("matrixPath", () => {
  it("encodes every interpolated segment and nothing else", () => {
    expect(
      matrixPath`/_matrix/client/v3/rooms/${"!a:b.c"}/state/${"m.x"}/${"_@u:hs_DEV_m.call#ROOM"}`,
    ).toBe("/_matrix/client/v3/rooms/!a%3Ab.c/state/m.x/_%40u%3Ahs_DEV_m.call%23ROOM");
  });

  it("encodes slashes, spaces, ? and non-ASCII so they stay one segment", () => {
    expect(matrixPath`/x/${"a/b c?d=é"}`).toBe("/x/a%2Fb%20c%3Fd%3D%C3%A9");
  });

  it("keeps an empty segment (empty state key)", () => {
    expect(matrixPath`/state/${"m.room.name"}/${""}`).toBe("/state/m.room.name/");
  });
});
