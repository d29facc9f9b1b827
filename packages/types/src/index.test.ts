import { expect, it } from "vitest";
import { MEMBERSHIP_EVENT_TYPE_LEGACY } from "./index.js";

it("names the legacy membership event type", () => {
  expect(MEMBERSHIP_EVENT_TYPE_LEGACY).toBe("org.matrix.msc3401.call.member");
});
