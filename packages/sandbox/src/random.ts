import { toHex } from '@wa/crypto';

/**
 * Randomness for refs, tokens, message ids and the key exchange. The seeded source makes a whole
 * sandbox run reproducible (same seed, same frames), which is what tests and recorded demos want;
 * it is not a CSPRNG and must never protect anything real.
 */

/** A source of random bytes. */
export interface RandomSource {
  /** Returns `length` fresh random bytes. */
  bytes(length: number): Uint8Array;
}

/**
 * The platform CSPRNG (`crypto.getRandomValues`, in Node 20 and every browser).
 * @example
 * ```ts
 * const token = systemRandom().bytes(32);
 * ```
 */
export function systemRandom(): RandomSource {
  return {
    bytes(length: number): Uint8Array {
      checkLength(length);
      const out = new Uint8Array(length);
      // getRandomValues refuses more than 65536 bytes per call.
      for (let offset = 0; offset < length; offset += 65536) {
        globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
      }
      return out;
    },
  };
}

/**
 * A deterministic source (xoshiro128**, seeded through splitmix32 from the seed's characters).
 * @example
 * ```ts
 * const a = seededRandom('demo').bytes(4);
 * const b = seededRandom('demo').bytes(4); // same bytes as a
 * ```
 */
export function seededRandom(seed: string | number): RandomSource {
  const text = String(seed);
  // FNV-1a folds the seed text into 32 bits; splitmix32 spreads that over the 128-bit state.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    hash = (hash + 0x9e3779b9) >>> 0;
    let z = hash;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    state[i] = (z ^ (z >>> 16)) >>> 0;
  }
  const next = (): number => {
    const s0 = state[0]!, s1 = state[1]!, s2 = state[2]!, s3 = state[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    state[2] = s2 ^ s0;
    state[3] = s3 ^ s1;
    state[1] = s1 ^ state[2]!;
    state[0] = s0 ^ state[3]!;
    state[2] = state[2]! ^ t;
    state[3] = rotl(state[3]!, 11);
    return result;
  };
  return {
    bytes(length: number): Uint8Array {
      checkLength(length);
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 4) {
        let word = next();
        for (let j = i; j < Math.min(length, i + 4); j++) {
          out[j] = word & 0xff;
          word >>>= 8;
        }
      }
      return out;
    },
  };
}

/**
 * `length` random upper-case hex characters, the alphabet of message ids.
 * @example
 * ```ts
 * const id = '3EB0' + randomHex(systemRandom(), 16);
 * ```
 */
export function randomHex(random: RandomSource, length: number): string {
  const bytes = random.bytes(Math.ceil(length / 2));
  // Short ids (one per message) are written digit by digit: no lower-case string, slice and upper-casing.
  if (length > 64) return toHex(bytes).slice(0, length).toUpperCase();
  let hex = '';
  for (let i = 0; i < length; i++) hex += upperHexDigits[(i & 1) === 0 ? bytes[i >> 1]! >> 4 : bytes[i >> 1]! & 0x0f];
  return hex;
}

const upperHexDigits = '0123456789ABCDEF';

function rotl(value: number, shift: number): number {
  return ((value << shift) | (value >>> (32 - shift))) >>> 0;
}

function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError(`random length must be a non-negative integer, got ${length}`);
  }
}
