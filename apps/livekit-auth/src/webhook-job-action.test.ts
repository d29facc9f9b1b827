import { describe, expect, it } from "vitest";
import { webhookJobAction } from "./webhook-job-action.js";

describe("webhookJobAction", () => {
  it("connects on the first participant_joined and ignores it once connected", () => {
    expect(
      webhookJobAction("waiting-for-initial-connect", { event: "participant_joined" }),
    ).toEqual({
      kind: "connect",
    });
    expect(webhookJobAction("connected", { event: "participant_joined" })).toEqual({
      kind: "ignore",
    });
  });

  it("aborts without sending when the connection is aborted before any connect", () => {
    expect(
      webhookJobAction("waiting-for-initial-connect", { event: "participant_connection_aborted" }),
    ).toEqual({ kind: "abort", reason: "connection-aborted-before-connect" });
  });

  it("disconnects a connected job, naming the event and LiveKit's reason", () => {
    expect(
      webhookJobAction("connected", {
        event: "participant_left",
        disconnectReason: "CLIENT_INITIATED",
      }),
    ).toEqual({ kind: "disconnect", reason: "participant_left/CLIENT_INITIATED" });
    expect(webhookJobAction("connected", { event: "participant_connection_aborted" })).toEqual({
      kind: "disconnect",
      reason: "participant_connection_aborted",
    });
  });

  it("keeps the job when the identity is still in the room, and ignores a left before connect", () => {
    expect(
      webhookJobAction("connected", {
        event: "participant_left",
        disconnectReason: "DUPLICATE_IDENTITY",
      }),
    ).toEqual({ kind: "still-present", reason: "DUPLICATE_IDENTITY" });
    expect(webhookJobAction("waiting-for-initial-connect", { event: "participant_left" })).toEqual({
      kind: "ignore",
    });
  });
});
