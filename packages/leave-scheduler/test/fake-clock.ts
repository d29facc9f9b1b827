import type { Clock } from "../src/clock.js";

/** Lets every pending promise callback run (one macrotask turn drains the microtask queue). */
export async function flushPromises(): Promise<void> {
  for (let turn = 0; turn < 3; turn += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A manual clock for tests: time moves only through `advance` and `jump`. */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order and settling promises in between. */
  advance(ms: number): Promise<void>;
  /** The process slept for `ms`: time jumps, then every overdue timer fires late, at once. */
  jump(ms: number): Promise<void>;
  /** Moves time without firing anything (the moment a laptop wakes, before any timer ran). */
  skip(ms: number): void;
  /** Number of timers still scheduled. */
  pendingTimers(): number;
}

export function createFakeClock(startTs = 1_700_000_000_000): FakeClock {
  let now = startTs;
  let nextId = 1;
  const timers = new Map<number, { dueTs: number; callback: () => void }>();

  function nextDue(limitTs: number): [number, { dueTs: number; callback: () => void }] | undefined {
    let best: [number, { dueTs: number; callback: () => void }] | undefined;
    for (const entry of timers) {
      if (entry[1].dueTs > limitTs) continue;
      if (
        !best ||
        entry[1].dueTs < best[1].dueTs ||
        (entry[1].dueTs === best[1].dueTs && entry[0] < best[0])
      ) {
        best = entry;
      }
    }
    return best;
  }

  async function runUntil(targetTs: number): Promise<void> {
    for (;;) {
      await flushPromises();
      const due = nextDue(targetTs);
      if (!due) break;
      timers.delete(due[0]);
      now = Math.max(now, due[1].dueTs);
      due[1].callback();
    }
    now = Math.max(now, targetTs);
    await flushPromises();
  }

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = nextId;
      nextId += 1;
      timers.set(id, { dueTs: now + Math.max(0, ms), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance: (ms) => runUntil(now + ms),
    async jump(ms) {
      now += ms;
      await runUntil(now);
    },
    skip(ms) {
      now += ms;
    },
    pendingTimers: () => timers.size,
  };
}
