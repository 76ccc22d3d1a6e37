import { assertBytes } from './assert.js';

/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they
 * first differ. Use it for every MAC comparison: an early-exit compare lets an attacker
 * learn a valid MAC byte by byte from response timing.
 *
 * Lengths are not secret (they are visible on the wire), so unequal lengths return early.
 * @param a - first array
 * @param b - second array
 * @returns true when both hold the same bytes
 * @example
 * ```ts
 * constantTimeEqual(hmacSha256(macKey, body), receivedMac); // true or false
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  assertBytes(a, 'a');
  assertBytes(b, 'b');
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
