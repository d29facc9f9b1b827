import { createClient } from "matrix-js-sdk";
import { expect, it } from "vitest";
import type { MatrixJsSdkClientLike } from "./matrix-js-sdk-client-like.js";

it("a real MatrixClient is a MatrixJsSdkClientLike", () => {
  const client = createClient({ baseUrl: "http://127.0.0.1:1" });
  const like: MatrixJsSdkClientLike = client;
  expect(like.baseUrl).toBe("http://127.0.0.1:1");
});
