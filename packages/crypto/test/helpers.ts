import { expect } from 'vitest';
import { CryptoError, toBase64, toHex, type CryptoErrorCode, type MediaType } from '../src/index.ts';

type ErrorClass<E> = abstract new (...args: never[]) => E;

/**
 * Runs `fn`, expects it to throw `type` with `code`, and checks that the message reveals none
 * of `secrets` (neither as hex nor as Base64). Returns the error for further checks.
 */
export function expectCryptoError<E extends CryptoError>(
  fn: () => unknown,
  type: ErrorClass<E>,
  code: CryptoErrorCode,
  secrets: Uint8Array[] = [],
): E {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a throw').toBeInstanceOf(type);
  expect(thrown).toBeInstanceOf(CryptoError);
  const error = thrown as E;
  expect(error.code).toBe(code);
  for (const secret of secrets) {
    expect(error.message).not.toContain(toHex(secret).slice(0, 16));
    expect(error.message).not.toContain(toBase64(secret).slice(0, 12));
  }
  return error;
}

/** A copy of `bytes` with bit `bit` (0 = lowest bit of byte 0) flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
}

/**
 * A deterministic byte source (xorshift32) for reproducible "random" keys in tests. Not
 * cryptographic, which is fine for test data.
 */
export function seededRandom(seed: number): (length: number) => Uint8Array {
  let state = seed >>> 0 || 1;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      state ^= state << 13;
      state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      out[i] = state & 255;
    }
    return out;
  };
}

/** HKDF info strings per media type, written out independently of the package (FACTS "Media"). */
export const MEDIA_INFO: Record<MediaType, string> = {
  image: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
  sticker: 'WhatsApp Image Keys',
};
