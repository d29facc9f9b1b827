import {
  MAX_STICKY_DURATION_MS,
  type MembershipJoinContent,
  PARSE_LIMITS,
  parseRtcMemberContent,
  parseSlotId,
  stickyExpiresTs,
} from "@mxrtc/types";
import {
  diagnosticFor,
  type EventEnvelope,
  rawStickyKey,
  stickyDurationMs,
} from "./event-envelope.js";
import { membershipFromJoin } from "./membership-from-join.js";
import { hashString } from "./persistent-map.js";
import { type MembershipEntry, makeEntry, rememberEventId, senderHashFor } from "./state-data.js";
import type { StateDraft } from "./state-draft.js";

type ReadyEnvelope = EventEnvelope & { eventId: string; sender: string; originServerTs: number };

/**
 * Apply a sticky `org.matrix.msc4143.rtc.member` / `m.rtc.member` event (js-sdk sticky dialect or
 * the MSC4143 draft). Entries are keyed by (type, sender, sticky key); MSC4354's conflict rule
 * (highest `origin_server_ts + duration_ms`, then highest event id) decides which event holds a key.
 * Internal.
 */
export function applyRtcMember(
  draft: StateDraft,
  envelope: ReadyEnvelope,
  receivedTs: number | undefined,
): void {
  const expiresTs = stickyExpiresTs(envelope.raw, receivedTs);
  if (expiresTs === undefined) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "not-sticky",
        "membership event is not an MSC4354 sticky event (no sticky.duration_ms)",
        "sticky",
      ),
    );
    return;
  }
  // The sticky key is read before parsing so that this key's previous membership can lend its
  // transports and application to the parser (shared when equal, as on every refresh). A content
  // that parses has exactly this sticky key.
  const stickyKey = rawStickyKey(envelope.content);
  if (stickyKey === undefined) {
    draft.diagnose(
      diagnosticFor(
        envelope,
        "missing-sticky-key",
        "no content.sticky_key or msc4354_sticky_key",
        "content.sticky_key",
      ),
    );
    return;
  }
  const key = `sticky:${envelope.type}|${envelope.sender}|${stickyKey}`;
  const keyHash = hashString(key);
  const previous = draft.entries.get(key, keyHash);
  const ts = envelope.originServerTs;
  const stickyRank = ts + (stickyDurationMs(envelope.raw, MAX_STICKY_DURATION_MS) ?? 0);
  if (previous !== undefined) {
    if (previous.eventId === envelope.eventId) {
      draft.diagnose(
        diagnosticFor(
          envelope,
          "duplicate-event",
          "event already applied to this sticky key",
          "event_id",
        ),
      );
      return;
    }
    const previousRank = previous.stickyRank ?? Number.NEGATIVE_INFINITY;
    if (
      previousRank > stickyRank ||
      (previousRank === stickyRank && previous.eventId > envelope.eventId)
    ) {
      draft.diagnose(
        diagnosticFor(
          envelope,
          "superseded-sticky-event",
          `older than ${previous.eventId} for the same sticky key (MSC4354 conflict rule)`,
          "origin_server_ts",
        ),
      );
      return;
    }
  }
  const parsed = parseRtcMemberContent(envelope.content, { reuse: previous?.membership });
  const senderHash = senderHashFor(previous, envelope.sender);
  const recent = rememberEventId(undefined, envelope.eventId);
  if (!parsed.ok) {
    reject(
      draft,
      envelope,
      previous,
      makeEntry(key, keyHash, senderHash, "rejected", envelope, recent, stickyRank, undefined),
      { code: "invalid-content", ...parsed.error },
    );
    return;
  }
  const content = parsed.value;
  if (content.kind === "leave") {
    draft.writeEntry(
      previous,
      makeEntry(key, keyHash, senderHash, "leave", envelope, recent, stickyRank, undefined),
      {
        ts,
        continuation: false,
        closeReason: "left",
      },
    );
    return;
  }
  const problem = joinProblem(content as MembershipJoinContent, envelope.sender, stickyKey);
  if (problem !== undefined) {
    reject(
      draft,
      envelope,
      previous,
      makeEntry(key, keyHash, senderHash, "rejected", envelope, recent, stickyRank, undefined),
      problem,
    );
    return;
  }
  const previousMembership = previous?.status === "join" ? previous.membership : undefined;
  const sameMember =
    previousMembership !== undefined &&
    previousMembership.memberId === content.memberId &&
    previousMembership.slotId === content.slotId &&
    previousMembership.deviceId === (content.deviceId ?? "");
  const membership = membershipFromJoin(content as MembershipJoinContent, {
    envelope,
    userId: envelope.sender,
    createdTs: sameMember ? previousMembership.createdTs : ts,
    expiresTs,
    membershipKey: key,
  });
  const entry = makeEntry(
    key,
    keyHash,
    senderHash,
    "join",
    envelope,
    recent,
    stickyRank,
    membership,
  );
  draft.writeEntry(previous, entry, { ts, continuation: sameMember, closeReason: "replaced" });
}

interface Problem {
  readonly code:
    | "invalid-content"
    | "forged-membership"
    | "application-mismatch"
    | "sticky-key-mismatch";
  readonly message: string;
  readonly path: string;
}

function reject(
  draft: StateDraft,
  envelope: ReadyEnvelope,
  previous: MembershipEntry | undefined,
  rejected: MembershipEntry,
  problem: Problem,
): void {
  draft.diagnose(diagnosticFor(envelope, problem.code, problem.message, problem.path));
  draft.writeEntry(previous, rejected, {
    ts: envelope.originServerTs,
    continuation: false,
    closeReason: "left",
  });
}

/** Why a parsed sticky/draft join must not count, or undefined when it may. */
function joinProblem(
  content: MembershipJoinContent,
  sender: string,
  stickyKey: string,
): Problem | undefined {
  if (content.claimedUserId !== undefined && content.claimedUserId !== sender) {
    return {
      code: "forged-membership",
      message: `member.user_id ${content.claimedUserId} is not the sender ${sender}`,
      path: "content.member.user_id",
    };
  }
  if (content.dialect === "sticky" && content.claimedUserId === undefined) {
    return {
      code: "forged-membership",
      message: "sticky membership without member.user_id",
      path: "content.member.user_id",
    };
  }
  // The allocation-free check answers for every parsed content; parseSlotId explains the rest.
  if (!slotMatchesApplication(content.slotId, content.application.type)) {
    const slot = parseSlotId(content.slotId);
    if (!slot.ok)
      return { code: "invalid-content", message: slot.error.message, path: "content.slot_id" };
    if (slot.value.application !== content.application.type) {
      return {
        code: "application-mismatch",
        message: `slot ${content.slotId} is not for application ${content.application.type}`,
        path: "content.application.type",
      };
    }
  }
  if (content.dialect === "msc4143" && stickyKey !== content.memberId) {
    return {
      code: "sticky-key-mismatch",
      message: "sticky_key must equal member.id (MSC4143)",
      path: "content.sticky_key",
    };
  }
  return undefined;
}

/**
 * Whether `slotId` is a valid slot id whose application part is `type`, checked without
 * allocating (the answer `parseSlotId` gives for content that parsed, which is all of it).
 */
function slotMatchesApplication(slotId: string, type: string): boolean {
  const length = type.length;
  return (
    length > 0 &&
    slotId.length > length + 1 &&
    slotId.length <= PARSE_LIMITS.maxStringLength &&
    slotId.charCodeAt(length) === 35 &&
    slotId.startsWith(type) &&
    !type.includes("#") &&
    slotId.indexOf("#", length + 1) < 0
  );
}
