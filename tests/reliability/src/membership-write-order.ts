import type { RecordedRequest } from "./counting-fetch.js";

/** A membership write that was not preceded by a successful arm or restart of the delayed leave. */
export interface UnarmedMembershipWrite {
  readonly startTs: number;
  /** The last delayed-leave operation that had completed before the write, if any. */
  readonly previous?: { readonly kind: string; readonly status: number | undefined };
}

function isDelayedLeaveOperation(request: RecordedRequest, stateKeyPath: string): boolean {
  const schedulesLeave =
    request.method === "PUT" &&
    request.path.endsWith(stateKeyPath) &&
    request.query.includes("org.matrix.msc4140.delay=");
  return schedulesLeave || request.path.endsWith("/restart");
}

/**
 * Client-side order check over a member's recorded requests: every membership write (a `PUT` of
 * the state key without a delay) must come after a delayed-leave operation that had completed
 * successfully (schedule or restart, 200) and is the latest such operation to complete. Returns
 * the writes that break the rule.
 *
 * @param stateKeyPath - the URL-encoded state key as it ends the request path.
 */
export function findUnarmedMembershipWrites(
  requests: readonly RecordedRequest[],
  stateKeyPath: string,
): readonly UnarmedMembershipWrite[] {
  const unarmed: UnarmedMembershipWrite[] = [];
  for (const write of requests) {
    const isMembershipWrite =
      write.method === "PUT" &&
      write.path.endsWith(stateKeyPath) &&
      !write.query.includes("org.matrix.msc4140.delay=");
    if (!isMembershipWrite) continue;
    const previous = requests
      .filter(
        (request) =>
          isDelayedLeaveOperation(request, stateKeyPath) &&
          request.endTs !== undefined &&
          request.endTs <= write.startTs,
      )
      .sort((a, b) => (a.endTs ?? 0) - (b.endTs ?? 0))
      .at(-1);
    if (previous?.status !== 200) {
      unarmed.push(
        previous === undefined
          ? { startTs: write.startTs }
          : {
              startTs: write.startTs,
              previous: {
                kind: previous.path.endsWith("/restart") ? "restart" : "schedule",
                status: previous.status,
              },
            },
      );
    }
  }
  return unarmed;
}
