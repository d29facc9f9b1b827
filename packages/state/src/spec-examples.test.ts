import { describe, expect, it } from "vitest";
import examples from "./__fixtures__/spec-examples.json" with { type: "json" };
import { applyEvent, applyEvents } from "./apply-event.js";
import { createRoomRtcState } from "./room-rtc-state.js";
import { selectDiagnostics } from "./select-diagnostics.js";
import { selectMemberships } from "./select-memberships.js";
import { selectSessions } from "./select-sessions.js";
import { selectTransport } from "./select-transport.js";

const SLOT = "m.call#ROOM";
const base = () =>
  applyEvents(createRoomRtcState({ roomId: "!room:example.org" }), examples.roomMembers);
const at = (now: number) => ({ slotId: SLOT, now });

describe("wire examples from the specs", () => {
  it("reads js-sdk's legacy join and Element Call's multi_sfu update as one continuing member", () => {
    const joined = applyEvent(base(), examples.legacyJoinMembershipManager);
    expect(selectMemberships(joined, at(1_760_000_100_000))).toEqual([
      expect.objectContaining({
        userId: "@alice:example.org",
        deviceId: "AAAAAAA",
        memberId: "@alice:example.org:AAAAAAA",
        focusSelection: "oldest_membership",
      }),
    ]);
    expect(selectTransport(joined, at(1_760_000_100_000))).toMatchObject({
      livekit_service_url: "https://active.url",
    });
    const updated = applyEvent(joined, examples.legacyMultiSfuUpdate);
    const [member] = selectMemberships(updated, at(1_760_020_000_000));
    expect(member).toMatchObject({
      createdTs: 1_760_000_000_000,
      expiresTs: 1_760_028_800_000,
      focusSelection: "multi_sfu",
      callIntent: "video",
    });
    expect(selectTransport(updated, at(1_760_020_000_000))).toBeUndefined();
    expect(selectSessions(updated, { slotId: SLOT })[0]?.participants).toHaveLength(1);
  });

  it("reads the rageshake leave ({} on the state key) without complaint", () => {
    const state = applyEvent(base(), examples.legacyLeaveFromRageshake);
    expect(selectMemberships(state, at(1_760_000_600_000))).toEqual([]);
    expect(selectDiagnostics(state)).toEqual([]);
  });

  it("reads js-sdk 42 and 43 sticky joins and the key-only sticky leave", () => {
    const state = applyEvents(base(), [examples.stickyJoinJsSdk42, examples.stickyJoinJsSdk43]);
    expect(
      selectMemberships(state, at(1_760_000_100_000)).map((member) => [
        member.userId,
        member.dialect,
        member.transports[0]?.type,
      ]),
    ).toEqual([
      ["@alice:example.org", "sticky", "livekit"],
      ["@bob:example.org", "sticky", "livekit"],
    ]);
    const left = applyEvent(state, examples.stickyDelayedLeave);
    expect(selectMemberships(left, at(1_760_001_000_000)).map((member) => member.userId)).toEqual([
      "@bob:example.org",
    ]);
    expect(selectDiagnostics(left)).toEqual([]);
  });

  it("applies the unsigned TTL relative to receivedTs", () => {
    const state = applyEvent(base(), examples.stickyJoinJsSdk43, { receivedTs: 1_760_000_002_000 });
    expect(selectMemberships(state, at(1_760_000_100_000))[0]?.expiresTs).toBe(
      1_760_000_002_000 + 3_599_000,
    );
  });

  it("gates the MSC4143 draft member on the open m.rtc.slot and ends it on membership: leave", () => {
    const withoutSlot = applyEvent(base(), examples.draftMemberJoin);
    expect(selectMemberships(withoutSlot, at(1_760_000_100_000))).toEqual([]);
    const state = applyEvents(base(), [examples.draftSlotOpen, examples.draftMemberJoin]);
    expect(selectMemberships(state, at(1_760_000_100_000))).toEqual([
      expect.objectContaining({
        userId: "@bob:example.org",
        memberId: "xyzABCDEF0123",
        dialect: "msc4143",
      }),
    ]);
    const left = applyEvent(state, examples.draftMemberLeave);
    expect(selectMemberships(left, at(1_760_000_700_000))).toEqual([]);
    expect(selectSessions(left, { slotId: SLOT })[0]).toMatchObject({
      startTs: 1_760_000_002_000,
      endTs: 1_760_000_600_000,
    });
  });
});
