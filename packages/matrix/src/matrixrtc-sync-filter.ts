/**
 * An inline `/sync` filter that keeps what MatrixRTC needs and drops the rest: no presence, no
 * account data, no typing or receipts; full room state and timeline (membership state events,
 * sticky `rtc.member` events, encryption keys, notifications); to-device events are not
 * filterable and always arrive.
 *
 * @remarks Opt-in: `sync()` sends no filter unless given one, because an app may need more.
 *
 * @example
 * ```ts
 * for await (const batch of matrix.sync({ filter: MATRIXRTC_SYNC_FILTER, signal })) handle(batch);
 * ```
 * @see https://spec.matrix.org/latest/client-server-api/#filtering
 */
export const MATRIXRTC_SYNC_FILTER: Readonly<Record<string, unknown>> = Object.freeze({
  presence: { types: [] },
  account_data: { types: [] },
  room: {
    account_data: { types: [] },
    ephemeral: { types: [] },
    timeline: { limit: 50 },
  },
});
