import { describe, expect, it } from "vitest";
import {
  MatrixConnectionError,
  MatrixError,
  MatrixPortError,
  MatrixResponseError,
} from "./matrix-error.js";

describe("error classes", () => {
  it("isInstance tells the classes apart and all are MatrixPortError", () => {
    const server = new MatrixError({ status: 404, errcode: "M_NOT_FOUND", body: {} });
    const connection = new MatrixConnectionError("timeout", "late");
    const response = new MatrixResponseError(200, "<html>", "not json");
    for (const error of [server, connection, response]) {
      expect(MatrixPortError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(Error);
    }
    expect([server, connection, response].map((error) => MatrixError.isInstance(error))).toEqual([
      true,
      false,
      false,
    ]);
    expect(MatrixConnectionError.isInstance(connection)).toBe(true);
    expect(MatrixConnectionError.isInstance(server)).toBe(false);
    expect(MatrixResponseError.isInstance(response)).toBe(true);
    expect(MatrixResponseError.isInstance(connection)).toBe(false);
  });

  it("isInstance works for an error from another copy of the package (Symbol.for marker)", () => {
    const foreign = Object.assign(new Error("from another bundle"), {
      [Symbol.for("@mxrtc/matrix/MatrixPortError")]: true,
      [Symbol.for("@mxrtc/matrix/MatrixError")]: true,
      status: 429,
    });
    expect(MatrixError.isInstance(foreign)).toBe(true);
    expect(MatrixPortError.isInstance(foreign)).toBe(true);
    expect(MatrixConnectionError.isInstance(foreign)).toBe(false);
  });

  it("isInstance is false for non-objects and plain errors", () => {
    for (const value of [undefined, null, 0, "MatrixError", new Error("x"), {}]) {
      expect(MatrixPortError.isInstance(value)).toBe(false);
      expect(MatrixError.isInstance(value)).toBe(false);
    }
  });

  it("MatrixError's message names errcode, status, server text and request", () => {
    const error = new MatrixError({
      status: 403,
      errcode: "M_FORBIDDEN",
      body: { errcode: "M_FORBIDDEN", error: "You don't have permission" },
      method: "PUT",
      path: "/_matrix/client/v3/rooms/!r/state/x/y",
    });
    expect(error.name).toBe("MatrixError");
    expect(error.message).toBe(
      "M_FORBIDDEN 403: You don't have permission (PUT /_matrix/client/v3/rooms/!r/state/x/y)",
    );
    expect(new MatrixError({ status: 502, body: "<html>" }).message).toBe("HTTP error 502");
  });

  it("keeps the cause", () => {
    const cause = new TypeError("fetch failed");
    expect(new MatrixConnectionError("network", "down", {}, { cause }).cause).toBe(cause);
  });
});
