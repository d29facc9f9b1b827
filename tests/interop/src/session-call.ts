/**
 * A call room with several js-sdk MatrixRTCSessions and several of our real `@mxrtc/session`s,
 * all in one dialect (legacy `oldest_membership` or sticky): the harness of the session-level
 * randomized agreement tests.
 */
import type { SynapseInfo } from "@mxrtc/stack";
import { createCallRoom, joinRoom, type RegisteredUser, registerUser } from "@mxrtc/stack";
import type { RtcTransport } from "@mxrtc/types";
import { type JsSdkMember, startJsSdkMember } from "./js-sdk-member.js";
import { type OurSession, startOurSession } from "./our-session.js";
import { waitUntil } from "./wait-until.js";

/** One member of the call, on either side. */
export interface SessionParticipant {
  readonly name: string;
  readonly user: RegisteredUser;
  readonly transport: RtcTransport;
  joined: boolean;
  join(): Promise<void>;
  leave(): Promise<void>;
}

/** The running call. */
export interface SessionCall {
  readonly roomId: string;
  readonly jsSdkMembers: readonly JsSdkMember[];
  readonly ourSessions: readonly OurSession[];
  readonly participants: readonly SessionParticipant[];
  /** Toggles `participant` (join or leave) and waits until every client lists the joined set. */
  toggle(participant: SessionParticipant, step: string): Promise<void>;
  /** Every client's member list and active transport, for failure messages. */
  describeSides(): string;
  stop(): Promise<void>;
}

const key = (userId: string, deviceId: string) => `${userId}|${deviceId}`;

/**
 * Registers `jsSdk + ours` users, creates the room, starts the js-sdk clients and our sessions
 * (none joined). Participants are named `js-sdk-<n>` and `session-<n>`; each publishes
 * `{type: "livekit", livekit_service_url: http://127.0.0.1:1/<name>, livekit_alias: roomId}`
 * (no alias for js-sdk's sticky members, whose writer drops it). Default dialect legacy.
 */
export async function setUpSessionCall(
  synapse: SynapseInfo,
  options: {
    readonly jsSdk: number;
    readonly ours: number;
    readonly dialect?: "legacy" | "sticky";
  },
): Promise<SessionCall> {
  const sticky = options.dialect === "sticky";
  const owner = await registerUser(synapse, { deviceId: "OWNER" });
  const roomId = await createCallRoom(synapse, owner);
  const users = await Promise.all(
    Array.from({ length: options.jsSdk + options.ours }, (_, index) =>
      registerUser(synapse, {
        deviceId: index < options.jsSdk ? `JSSDK${index}` : `SESSION${index - options.jsSdk}`,
      }),
    ),
  );
  await Promise.all(users.map((user) => joinRoom(synapse, user, roomId)));
  // js-sdk's sticky writer drops livekit_alias from what it publishes; ours keeps it.
  const transportFor = (name: string, withAlias: boolean): RtcTransport => ({
    type: "livekit",
    livekit_service_url: `http://127.0.0.1:1/${name}`,
    ...(withAlias ? { livekit_alias: roomId } : {}),
  });
  const jsSdkMembers: JsSdkMember[] = [];
  const ourSessions: OurSession[] = [];
  const participants: SessionParticipant[] = [];
  for (const [index, user] of users.entries()) {
    if (index < options.jsSdk) {
      const name = `js-sdk-${index}`;
      const transport = transportFor(name, !sticky);
      const member = await startJsSdkMember(
        synapse,
        user,
        roomId,
        sticky ? { memberId: `${name}-sticky-member` } : {},
      );
      jsSdkMembers.push(member);
      participants.push({
        name,
        user,
        transport,
        joined: false,
        join: () => member.join(transport, { sticky }),
        leave: () => member.leave(),
      });
    } else {
      const name = `session-${index - options.jsSdk}`;
      const transport = transportFor(name, true);
      const ours = await startOurSession(synapse, user, roomId, {
        transport,
        dialect: sticky ? "sticky" : "legacy",
      });
      ourSessions.push(ours);
      participants.push({
        name,
        user,
        transport,
        joined: false,
        join: () => ours.join(),
        leave: () => ours.leave(),
      });
    }
  }

  const describeSides = () =>
    [
      ...ourSessions.map(
        (ours, index) =>
          `session-${index} (${ours.session.joinState}): ${ours.session.memberships
            .map((m) => `${m.userId}/${m.deviceId}@${m.createdTs}`)
            .join(", ")} transport=${JSON.stringify(ours.session.transport)}`,
      ),
      ...jsSdkMembers.map(
        (member, index) =>
          `js-sdk-${index}: ${member
            .memberships()
            .map((m) => `${m.userId}/${m.deviceId}@${m.createdTs()}`)
            .join(", ")} active=${JSON.stringify(member.activeTransport())}`,
      ),
    ].join("\n");

  const everyoneCaughtUp = async (step: string) => {
    const expected = participants
      .filter((participant) => participant.joined)
      .map((participant) => key(participant.user.userId, participant.user.deviceId))
      .sort();
    const same = (actual: string[]) =>
      actual.length === expected.length && actual.sort().every((entry, i) => entry === expected[i]);
    await waitUntil(
      () =>
        (ourSessions.every((ours) =>
          same(ours.session.memberships.map((m) => key(m.userId, m.deviceId))),
        ) &&
          jsSdkMembers.every((member) =>
            same(member.memberships().map((m) => key(m.userId, m.deviceId))),
          )) ||
        undefined,
      {
        description: `every client agrees on the member set after ${step}`,
        explain: describeSides,
      },
    );
  };

  return {
    roomId,
    jsSdkMembers,
    ourSessions,
    participants,
    async toggle(participant, step) {
      if (participant.joined) {
        await participant.leave();
        participant.joined = false;
      } else {
        await participant.join();
        participant.joined = true;
      }
      await everyoneCaughtUp(step);
    },
    describeSides,
    async stop() {
      await Promise.all(ourSessions.map((ours) => ours.close()));
      await Promise.all(jsSdkMembers.map((member) => member.stop()));
    },
  };
}
