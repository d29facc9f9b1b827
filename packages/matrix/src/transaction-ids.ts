/**
 * Makes transaction ids unique to one client instance: a random prefix plus a counter, so two
 * clients (or two page loads) with the same access token never collide.
 *
 * @param random - source of random bytes; default `crypto.getRandomValues`.
 */
export function createTransactionIdGenerator(
  random: (bytes: Uint8Array) => Uint8Array = (bytes) => globalThis.crypto.getRandomValues(bytes),
): () => string {
  const bytes = random(new Uint8Array(9));
  let prefix = "mxrtc";
  for (const byte of bytes) prefix += byte.toString(36).padStart(2, "0");
  let counter = 0;
  return () => `${prefix}.${++counter}`;
}
