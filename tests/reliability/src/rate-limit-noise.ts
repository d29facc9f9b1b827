import { setTimeout as sleep } from "node:timers/promises";
import { type RawAccount, rawRequest } from "./raw-matrix.js";

/**
 * Restarts `delayId` (a delayed event of the same user) back to back, 50 ms apart, until
 * `untilTs`: every delayed-event management token the user's bucket regains is taken at once, so
 * the user's own heartbeat in that window is rate-limited.
 */
export async function drainManagementBucketUntil(
  account: RawAccount,
  delayId: string,
  untilTs: number,
): Promise<{ sent: number; limited: number }> {
  let sent = 0;
  let limited = 0;
  while (Date.now() < untilTs) {
    sent += 1;
    await rawRequest(
      account,
      "POST",
      `/_matrix/client/unstable/org.matrix.msc4140/delayed_events/${encodeURIComponent(delayId)}/restart`,
      { body: {} },
    ).catch(() => {
      limited += 1;
    });
    await sleep(50);
  }
  return { sent, limited };
}

/** A running drain of the message bucket (see {@link drainMessageBucket}). */
export interface MessageBucketDrain {
  /** Resolves once the bucket is empty (the burst is used up). */
  readonly drained: Promise<void>;
  /** Resolves when the drain stopped, with what it sent. */
  readonly finished: Promise<{ sent: number; limited: number }>;
}

/**
 * Empties the user's message bucket (`burst` messages, awaited), then sends a noise message every
 * 50 ms without waiting for replies (Synapse holds each 429 for 0.5 s) until `until()` is true or
 * `maxMs` passed, so any token the bucket regains is taken and the user's other requests meet 429.
 */
export function drainMessageBucket(
  account: RawAccount,
  roomId: string,
  options: { readonly until: () => boolean; readonly maxMs: number; readonly burst?: number },
): MessageBucketDrain {
  const replies: Promise<boolean>[] = [];
  const send = () => {
    const index = replies.length;
    const reply = rawRequest(
      account,
      "PUT",
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/io.mxrtc.test.noise/drain-${Date.now()}-${index}`,
      { body: { index } },
    ).then(
      () => false,
      () => true,
    );
    replies.push(reply);
    return reply;
  };
  const drained = (async () => {
    for (let index = 0; index < (options.burst ?? 3); index += 1) await send();
  })();
  const finished = (async () => {
    await drained;
    const deadline = Date.now() + options.maxMs;
    while (!options.until() && Date.now() < deadline) {
      void send();
      await sleep(50);
    }
    const limited = (await Promise.all(replies)).filter(Boolean).length;
    return { sent: replies.length, limited };
  })();
  return { drained, finished };
}
