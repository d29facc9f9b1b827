import type { RejoinContext } from "./leave-scheduler-options.js";

/**
 * The default rejoin policy: rejoin when the delayed leave was lost (the server fired or
 * finalised it) or our membership vanished; leave when a focus reports a disconnect.
 *
 * @example
 * ```ts
 * import { defaultRejoinPolicy } from "@mxrtc/leave-scheduler";
 * defaultRejoinPolicy({ cause: "disconnect", reason: "kicked" }); // false
 * ```
 */
export function defaultRejoinPolicy(context: RejoinContext): boolean {
  return context.cause !== "disconnect";
}
