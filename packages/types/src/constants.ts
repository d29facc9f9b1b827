/**
 * Event type of the legacy (G1) per-device membership state event that Element Call and
 * matrix-js-sdk's default `MembershipManager` write.
 *
 * @remarks Room state, unencrypted. The state key is built by {@link legacyMembershipStateKey};
 * leaving writes empty content `{}` to the same key.
 * @example
 * ```ts
 * if (event.type === LEGACY_MEMBERSHIP_EVENT_TYPE) parseLegacyMembershipContent(event.content, event);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const LEGACY_MEMBERSHIP_EVENT_TYPE = "org.matrix.msc3401.call.member";

/**
 * Unstable type of the sticky membership event: both matrix-js-sdk's sticky dialect (G2) and the
 * unstable name of the latest MSC4143 draft (G3) use it.
 *
 * @remarks Sent as an MSC4354 sticky message event; parse its content with {@link parseRtcMemberContent}.
 * @example
 * ```ts
 * if (event.type === UNSTABLE_RTC_MEMBER_EVENT_TYPE) parseRtcMemberContent(event.content);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const UNSTABLE_RTC_MEMBER_EVENT_TYPE = "org.matrix.msc4143.rtc.member";

/**
 * Stable type of the MSC4143 sticky membership event.
 *
 * @remarks Same content as {@link UNSTABLE_RTC_MEMBER_EVENT_TYPE}; no deployed client sends it yet.
 * @example
 * ```ts
 * const isMember = type === RTC_MEMBER_EVENT_TYPE || type === UNSTABLE_RTC_MEMBER_EVENT_TYPE;
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const RTC_MEMBER_EVENT_TYPE = "m.rtc.member";

/**
 * Stable type of the MSC4143 slot state event (state key = slot id).
 *
 * @remarks Parse with {@link parseSlotContent}.
 * @example
 * ```ts
 * parseSlotContent(event.content, event.state_key);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const RTC_SLOT_EVENT_TYPE = "m.rtc.slot";

/**
 * Unstable type of the MSC4143 slot state event.
 *
 * @remarks Same content as {@link RTC_SLOT_EVENT_TYPE}.
 * @example
 * ```ts
 * const isSlot = type === RTC_SLOT_EVENT_TYPE || type === UNSTABLE_RTC_SLOT_EVENT_TYPE;
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const UNSTABLE_RTC_SLOT_EVENT_TYPE = "org.matrix.msc4143.rtc.slot";

/**
 * The default room call slot of the `m.call` application (MSC4196).
 *
 * @remarks Legacy events write it as `application: "m.call"`, `call_id: ""`.
 * @example
 * ```ts
 * slotIdFromLegacy("m.call", "") === DEFAULT_SLOT_ID; // true
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4196
 */
export const DEFAULT_SLOT_ID = "m.call#ROOM";

/**
 * Default lifetime of a legacy membership, in milliseconds (4 hours), counted from `created_ts`
 * (or `origin_server_ts` when absent) when the content has no `expires`.
 *
 * @example
 * ```ts
 * const expiresTs = createdTs + (content.expiresMs ?? LEGACY_DEFAULT_EXPIRES_MS);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const LEGACY_DEFAULT_EXPIRES_MS = 14_400_000;

/**
 * Longest stickiness MSC4354 allows, in milliseconds (1 hour); longer durations are capped.
 *
 * @example
 * ```ts
 * const duration = Math.min(requested, MAX_STICKY_DURATION_MS);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4354
 */
export const MAX_STICKY_DURATION_MS = 3_600_000;

/**
 * Type of the mxrtc mediasoup transport (defined in this package's README).
 *
 * @remarks `{ "type": "io.mxrtc.mediasoup", "signalling_url": "wss://…" }`.
 * @example
 * ```ts
 * const transport = { type: MEDIASOUP_TRANSPORT_TYPE, signalling_url: "wss://sfu.example.org/ws" };
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const MEDIASOUP_TRANSPORT_TYPE = "io.mxrtc.mediasoup";

/**
 * Limits the parsers enforce on untrusted input; exceeding one yields a parse error naming the limit.
 *
 * @remarks `maxTransports` caps `foci_preferred` / `transports.published` / `rtc_transports` /
 * `can_subscribe` / `versions`; `maxStringLength` caps every string; `maxDepth` and `maxValues`
 * cap verbatim-copied objects (unknown transports, `application`).
 * @example
 * ```ts
 * if (transports.length > PARSE_LIMITS.maxTransports) drop();
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export const PARSE_LIMITS = {
  maxTransports: 16,
  maxStringLength: 2048,
  maxDepth: 8,
  maxValues: 256,
} as const;
