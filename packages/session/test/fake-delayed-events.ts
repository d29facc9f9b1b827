import type { DelayedEventTransportV1, ScheduledDelayedEvent } from "@mxrtc/delayed-events";

/** A recording MSC4140 transport: every call is logged; scheduled events are kept until sent/cancelled. */
export function createFakeDelayedEvents(log: string[] = []) {
  const scheduled = new Map<string, ScheduledDelayedEvent>();
  let counter = 0;
  const transport: DelayedEventTransportV1 = {
    specificationVersion: "v1",
    async scheduleStateEvent(input) {
      counter += 1;
      const delayId = `delay${counter}`;
      log.push(`schedule ${input.eventType} ${input.stateKey}`);
      scheduled.set(delayId, {
        delayId,
        roomId: input.roomId,
        eventType: input.eventType,
        stateKey: input.stateKey,
        delayMs: input.delayMs,
        content: input.content,
      });
      return { delayId };
    },
    async scheduleMessageEvent(input) {
      counter += 1;
      const delayId = `delay${counter}`;
      log.push(`schedule ${input.eventType} sticky=${input.stickyDurationMs}`);
      scheduled.set(delayId, {
        delayId,
        roomId: input.roomId,
        eventType: input.eventType,
        delayMs: input.delayMs,
        content: input.content,
      });
      return { delayId };
    },
    async restart(delayId) {
      log.push(`restart ${delayId}`);
    },
    async cancel(delayId) {
      log.push(`cancel ${delayId}`);
      scheduled.delete(delayId);
    },
    async send(delayId) {
      log.push(`send-delayed ${delayId}`);
      scheduled.delete(delayId);
    },
    async listScheduled() {
      return [...scheduled.values()];
    },
    async limits() {
      return { supported: true, api: "unstable" };
    },
  };
  return { transport, scheduled, log };
}
