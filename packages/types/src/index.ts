/** Placeholder until the parsers land. */
export const MEMBERSHIP_EVENT_TYPE_LEGACY = "org.matrix.msc3401.call.member";
