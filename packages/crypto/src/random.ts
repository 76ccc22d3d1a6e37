import { assertInteger, isBytes } from './assert.js';
import { InvalidInputError } from './errors.js';

/** `crypto.getRandomValues` refuses more than 65536 bytes per call (WebCrypto spec). */
const MAX_RANDOM_CHUNK = 65536;

/**
 * A source of random bytes. The default is {@link randomBytes}; tests and the sandbox inject a
 * seeded one to make key material reproducible.
 */
export type RandomSource = (length: number) => Uint8Array;

/**
 * Returns `length` cryptographically secure random bytes from `globalThis.crypto` (WebCrypto),
 * which Node ≥ 20 and every browser provide; no Node `Buffer` or `node:crypto` import, so the
 * same code runs everywhere.
 * @param length - number of bytes, 0 to 2^30
 * @returns fresh random bytes
 * @example
 * ```ts
 * const clientId = toBase64(randomBytes(16));
 * ```
 */
export function randomBytes(length: number): Uint8Array {
  assertInteger(length, 'length', 0, 2 ** 30);
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(offset, offset + MAX_RANDOM_CHUNK));
  }
  return out;
}

/**
 * Draws `length` bytes from an injected source (or {@link randomBytes} when none is given) and
 * checks the source kept its contract, so a broken seeded generator fails loudly instead of
 * producing short keys.
 */
export function drawRandom(source: RandomSource | undefined, length: number): Uint8Array {
  if (source === undefined) return randomBytes(length);
  if (typeof source !== 'function') throw new InvalidInputError('options.randomBytes must be a function');
  const bytes = source(length);
  if (!isBytes(bytes) || bytes.length !== length) {
    throw new InvalidInputError(`randomBytes(${length}) must return a Uint8Array of ${length} bytes`);
  }
  return bytes;
}
