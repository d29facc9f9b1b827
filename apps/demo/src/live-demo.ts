import { createMatrixClient } from "@mxrtc/matrix";
import { createCallRoom, joinRoom, registerUser, startSynapse } from "@mxrtc/stack";
import { startMember } from "./member-process.js";
import { pastSessions, type RoomView, watchRoom } from "./room-watcher.js";

/** What the live demo measured. */
export interface LiveDemoResult {
  /** From Bob's SIGKILL until the room stopped listing him (the homeserver fired his delayed leave). */
  readonly crashToGoneMs: number;
  /** From Alice's SIGTERM until the room stopped listing her (her client sent the leave). */
  readonly hangUpToGoneMs: number;
  /** People and length of the call as the room's history records it. */
  readonly call: { readonly people: number; readonly durationMs: number } | undefined;
}

const names = (view: RoomView) =>
  view.members.size === 0
    ? "nobody"
    : [...view.members].map((member) => member.split(":")[0]?.slice(1)).join(", ");

/**
 * The demo on the local stack: a real Synapse with delayed events, two headless call members
 * (`mxrtc join` processes), one of them crashes, and a third client watches the room tell the
 * truth: the crashed member is gone within the delayed leave's delay, the one who hangs up at once.
 *
 * @example
 * ```ts
 * const result = await runLiveDemo({ root, print: console.log });
 * ```
 */
export async function runLiveDemo(options: {
  root: string;
  print: (line: string) => void;
}): Promise<LiveDemoResult> {
  const started = Date.now();
  const say = (text: string) =>
    options.print(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s  ${text}`);

  say("starting a local Synapse with delayed events (MSC4140) and sticky events (MSC4354)");
  const synapse = await startSynapse();
  const members: ReturnType<typeof startMember>[] = [];
  let watcher: ReturnType<typeof watchRoom> | undefined;
  try {
    say(`Synapse is up at ${synapse.baseUrl}; registering alice, bob and an observer`);
    const alice = await registerUser(synapse, { localpart: "alice", deviceId: "ALICELAPTOP" });
    const bob = await registerUser(synapse, { localpart: "bob", deviceId: "BOBPHONE" });
    const observer = await registerUser(synapse, { localpart: "observer" });
    const roomId = await createCallRoom(synapse, alice, { invite: [bob.userId, observer.userId] });
    await joinRoom(synapse, bob, roomId);
    await joinRoom(synapse, observer, roomId);

    watcher = watchRoom({
      matrix: createMatrixClient({ baseUrl: synapse.baseUrl, accessToken: observer.accessToken }),
      roomId,
      onChange: (view) => say(`the room says the call has: ${names(view)}`),
    });

    say("alice and bob join the call (each `mxrtc join`, a separate process)");
    for (const [name, user] of [
      ["alice", alice],
      ["bob", bob],
    ] as const) {
      members.push(
        startMember({
          name,
          root: options.root,
          homeserver: synapse.baseUrl,
          accessToken: user.accessToken,
          roomId,
          print: options.print,
        }),
      );
    }
    const [aliceClient, bobClient] = members as [
      ReturnType<typeof startMember>,
      ReturnType<typeof startMember>,
    ];
    await watcher.until((view) => view.members.size === 2, 60_000);
    await bobClient.waitForLine(/delayed leave restarted/, 30_000);

    say("bob's phone dies (SIGKILL): nothing on it can send his leave any more");
    const crashedAt = Date.now();
    bobClient.child.kill("SIGKILL");
    await watcher.until((view) => ![...view.members].some((m) => m.startsWith(bob.userId)), 30_000);
    const crashToGoneMs = Date.now() - crashedAt;
    say(
      `bob is gone ${(crashToGoneMs / 1000).toFixed(1)} s after the crash: Synapse sent the leave he had scheduled in advance`,
    );

    say("alice hangs up (SIGTERM, like Ctrl-C)");
    const hangUpAt = Date.now();
    aliceClient.child.kill("SIGTERM");
    await watcher.until((view) => view.members.size === 0, 30_000);
    const hangUpToGoneMs = Date.now() - hangUpAt;
    say(`alice is gone ${hangUpToGoneMs} ms after hanging up: her client sent the leave at once`);
    await aliceClient.exited;

    const last = pastSessions(watcher.view).at(-1);
    const call =
      last === undefined ? undefined : { people: last.distinctUsers, durationMs: last.durationMs };
    if (call !== undefined) {
      say(
        `the room's history: call ended, ${(call.durationMs / 1000).toFixed(0)} s, ${call.people} people — no ghosts left behind`,
      );
    }
    return { crashToGoneMs, hangUpToGoneMs, call };
  } finally {
    watcher?.stop();
    for (const member of members) member.child.kill("SIGKILL");
    await synapse.stop();
    say("stopped the local Synapse");
  }
}
