/**
 * The delayed-leave delay the proofs use: matrix-js-sdk's default (8 s), so "delay + 2 s" means
 * the same here as for Element Call users.
 */
export const PROOF_DELAY_MS = 8_000;
