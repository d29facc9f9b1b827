/**
 * A call room with several js-sdk clients and several of our members, all in one dialect, and
 * an @mxrtc/state view: the harness of the randomized agreement tests.
 */

import type { SynapseInfo } from "@mxrtc/stack";
import { createCallRoom, joinRoom, type RegisteredUser, registerUser } from "@mxrtc/stack";
import type { RtcTransport } from "@mxrtc/types";
import { type JsSdkMember, startJsSdkMember } from "./js-sdk-member.js";
import { ourMember } from "./our-member.js";
import { type OurRoomView, watchRoom } from "./our-room-view.js";
import { waitUntil } from "./wait-until.js";

/** One member of the call, on either side. */
export interface Participant {
  readonly name: string;
  readonly user: RegisteredUser;
  readonly transport: RtcTransport;
  joined: boolean;
  join(): Promise<void>;
  leave(): Promise<void>;
}

/** The running call. */
export interface InteropCall {
  readonly roomId: string;
  readonly view: OurRoomView;
  readonly jsSdkMembers: readonly JsSdkMember[];
  readonly participants: readonly Participant[];
  participant(name: string): Participant;
  /** Toggles `participant` (join or leave) and waits until both sides list the joined set. */
  toggle(participant: Participant, step: string): Promise<void>;
  /** Both sides' member lists and active transports, for failure messages. */
  describeSides(): string;
  stop(): Promise<void>;
}

const key = (userId: string, deviceId: string) => `${userId}|${deviceId}`;

/**
 * Registers `jsSdk + ours` users and an observer, creates the room, starts the js-sdk clients
 * and our sync view. Participants are named `js-sdk-<n>` and `mxrtc-<n>`; each publishes
 * `http://127.0.0.1:1/<name>`.
 */
export async function setUpInteropCall(
  synapse: SynapseInfo,
  options: { readonly dialect: "legacy" | "sticky"; readonly jsSdk: number; readonly ours: number },
): Promise<InteropCall> {
  const owner = await registerUser(synapse, { deviceId: "OBSERVER" });
  const roomId = await createCallRoom(synapse, owner);
  const users = await Promise.all(
    Array.from({ length: options.jsSdk + options.ours }, (_, index) =>
      registerUser(synapse, {
        deviceId: index < options.jsSdk ? `JSSDK${index}` : `MXRTC${index - options.jsSdk}`,
      }),
    ),
  );
  await Promise.all(users.map((user) => joinRoom(synapse, user, roomId)));
  const view = await watchRoom(synapse, owner, roomId);
  const sticky = options.dialect === "sticky";
  const transportFor = (name: string): RtcTransport =>
    sticky
      ? { type: "livekit", livekit_service_url: `http://127.0.0.1:1/${name}` }
      : {
          type: "livekit",
          livekit_service_url: `http://127.0.0.1:1/${name}`,
          livekit_alias: roomId,
        };
  const jsSdkMembers: JsSdkMember[] = [];
  const participants: Participant[] = [];
  for (const [index, user] of users.entries()) {
    if (index < options.jsSdk) {
      const member = await startJsSdkMember(synapse, user, roomId);
      jsSdkMembers.push(member);
      const transport = transportFor(`js-sdk-${index}`);
      participants.push({
        name: `js-sdk-${index}`,
        user,
        transport,
        joined: false,
        join: () => member.join(transport, { sticky }),
        leave: () => member.leave(),
      });
    } else {
      const ours = ourMember(synapse, user, roomId);
      const name = `mxrtc-${index - options.jsSdk}`;
      const transport = transportFor(name);
      participants.push({
        name,
        user,
        transport,
        joined: false,
        join: async () => {
          if (sticky) await ours.joinSticky(transport);
          else await ours.joinLegacy(transport);
        },
        leave: () => (sticky ? ours.leaveSticky() : ours.leaveLegacy()),
      });
    }
  }

  const describeSides = () => {
    const ours = view.memberships().map((m) => `${m.userId}/${m.deviceId}@${m.createdTs}`);
    const theirs = jsSdkMembers.map(
      (member, index) =>
        `js-sdk-${index}: ${member
          .memberships()
          .map((m) => `${m.userId}/${m.deviceId}@${m.createdTs()}`)
          .join(", ")} active=${JSON.stringify(member.activeTransport())}`,
    );
    return [`ours: ${ours.join(", ")} active=${JSON.stringify(view.transport())}`, ...theirs].join(
      "\n",
    );
  };

  const bothSidesCaughtUp = async (step: string) => {
    const expected = participants
      .filter((participant) => participant.joined)
      .map((participant) => key(participant.user.userId, participant.user.deviceId))
      .sort();
    const same = (actual: string[]) =>
      actual.length === expected.length && actual.sort().every((entry, i) => entry === expected[i]);
    await waitUntil(
      () =>
        (same(view.memberships().map((m) => key(m.userId, m.deviceId))) &&
          jsSdkMembers.every((member) =>
            same(member.memberships().map((m) => key(m.userId, m.deviceId))),
          )) ||
        undefined,
      { description: `both sides agree on the member set after ${step}`, explain: describeSides },
    );
  };

  return {
    roomId,
    view,
    jsSdkMembers,
    participants,
    participant(name) {
      const found = participants.find((entry) => entry.name === name);
      if (found === undefined) throw new Error(`no participant ${name}`);
      return found;
    },
    async toggle(participant, step) {
      if (participant.joined) {
        await participant.leave();
        participant.joined = false;
      } else {
        await participant.join();
        participant.joined = true;
      }
      await bothSidesCaughtUp(step);
    },
    describeSides,
    async stop() {
      await Promise.all(jsSdkMembers.map((member) => member.stop()));
      await view.stop();
    },
  };
}
