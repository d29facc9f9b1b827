import type { FocusMemberV1 } from "@mxrtc/focus";
import { createFakeFocusMatrixPort, createFakeLeavePort } from "@mxrtc/focus-testkit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createReferenceFocusPlugin, REFERENCE_FOCUS_TYPE } from "./index.js";

async function connect(members: readonly FocusMemberV1[] = []) {
  const leavePort = createFakeLeavePort();
  const connection = await createReferenceFocusPlugin().connect({
    transport: { type: REFERENCE_FOCUS_TYPE },
    roomId: "!room:example.org",
    slotId: "m.call#ROOM",
    localMember: { userId: "@alice:example.org", deviceId: "ALICE", memberId: "local" },
    members,
    leavePort,
    matrix: createFakeFocusMatrixPort(),
    signal: new AbortController().signal,
  });
  return { connection, leavePort };
}

const memberArbitrary = fc.constantFrom("local", "bob", "carol", "dave", "erin").map(
  (memberId): FocusMemberV1 => ({
    userId: `@${memberId}:example.org`,
    deviceId: memberId.toUpperCase(),
    memberId,
    transports: [],
  }),
);

describe("reference focus connection (properties)", () => {
  it("replaying joined/left events over the initial members always gives the current participants", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(memberArbitrary, { maxLength: 5 }),
        fc.array(fc.array(memberArbitrary, { maxLength: 6 }), { maxLength: 12 }),
        async (initial, updates) => {
          const { connection, leavePort } = await connect(initial);
          const replayed = new Set(connection.participants.map((member) => member.memberId));
          connection.on("participant-joined", ({ participantId }) => {
            expect(replayed.has(participantId)).toBe(false);
            replayed.add(participantId);
          });
          connection.on("participant-left", ({ participantId }) => {
            expect(replayed.delete(participantId)).toBe(true);
          });
          for (const members of updates) {
            connection.updateMembers(members);
            const expected = new Set(members.map((member) => member.memberId));
            expected.delete("local");
            expect(replayed).toEqual(expected);
            expect(new Set(connection.participants.map((member) => member.memberId))).toEqual(
              expected,
            );
          }
          await connection.close();
          expect(leavePort.callCount).toBe(0);
        },
      ),
    );
  });

  it("never throws or reports on arbitrary updateMembers input", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.anything(), { maxLength: 4 }), async (inputs) => {
        const { connection, leavePort } = await connect();
        for (const input of inputs) {
          connection.updateMembers(input as readonly FocusMemberV1[]);
        }
        expect(connection.state).toBe("connected");
        expect(leavePort.callCount).toBe(0);
        await connection.close();
      }),
    );
  });
});
