import { assertInteger, isBytes } from './assert.js';
import { InvalidInputError } from './errors.js';

/** `crypto.getRandomValues` refuses more than 65536 bytes per call (WebCrypto spec). */
const MAX_RANDOM_CHUNK = 65536;
/** Requests up to this size are served from the pool below. */
const POOLED_MAX = 64;
const POOL_SIZE = 4096;

/**
 * Small draws (a frame IV per `sealFrame`) come from one pooled `getRandomValues` call per 4 KiB:
 * the call itself costs several microseconds, which measured as a third of sealing a 64-byte
 * frame. Each pooled byte is handed out once and wiped from the pool as it is handed out.
 */
let pool: Uint8Array = new Uint8Array(0);
let poolOffset = 0;

/**
 * A source of random bytes. The default is {@link randomBytes}; tests and the sandbox inject a
 * seeded one to make key material reproducible.
 */
export type RandomSource = (length: number) => Uint8Array;

function fillRandom(out: Uint8Array): Uint8Array {
  for (let offset = 0; offset < out.length; offset += MAX_RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(offset, offset + MAX_RANDOM_CHUNK));
  }
  return out;
}

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
  if (length > POOLED_MAX) return fillRandom(new Uint8Array(length));
  if (poolOffset + length > pool.length) {
    pool = fillRandom(new Uint8Array(POOL_SIZE));
    poolOffset = 0;
  }
  const out = pool.slice(poolOffset, poolOffset + length);
  pool.fill(0, poolOffset, poolOffset + length);
  poolOffset += length;
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
