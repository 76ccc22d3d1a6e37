/**
 * AES-256-CBC with PKCS#7 padding: the one cipher of the protocol, kept in this single file so
 * the implementation can be swapped without touching callers.
 *
 * Why `@noble/ciphers` and not WebCrypto: the API is synchronous because the client and the
 * sandbox open and seal frames inside synchronous message handlers, and WebCrypto's
 * `subtle.encrypt` is promise-only. bench/crypto.bench.mjs measures the cost of that choice
 * against WebCrypto and `node:crypto` (numbers in the README): for small frames per-call
 * overhead dominates and the synchronous code is several times faster than an awaited WebCrypto
 * call, around 1 KiB the two are about even, and only for large payloads (media) does native
 * AES pull clearly ahead.
 *
 * Padding is done here rather than by the library so that a bad pad is reported as this
 * package's typed {@link PaddingError}.
 * @module
 */
import { cbc } from '@noble/ciphers/aes.js';
import { assertBytes } from './assert.js';
import { InvalidInputError, PaddingError } from './errors.js';

const BLOCK = 16;

/**
 * Encrypts with AES-256-CBC and PKCS#7 padding (always 1–16 padding bytes, so the ciphertext is
 * the plaintext length rounded up to the next multiple of 16, plus a whole block when aligned).
 * @param key - 32-byte AES-256 key
 * @param iv - 16-byte initialisation vector; must be unpredictable for each message
 * @param plaintext - data to encrypt
 * @returns ciphertext
 * @example
 * ```ts
 * const ciphertext = aesCbcEncrypt(keys.encKey, randomBytes(16), plaintext);
 * ```
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  assertBytes(key, 'key', 32);
  assertBytes(iv, 'iv', BLOCK);
  assertBytes(plaintext, 'plaintext');
  const padLength = BLOCK - (plaintext.length % BLOCK);
  const padded = new Uint8Array(plaintext.length + padLength);
  padded.set(plaintext);
  padded.fill(padLength, plaintext.length);
  // The output buffer is the input buffer: CBC encrypts block by block in place, which
  // saves an allocation per frame.
  return cbc(key, iv, { disablePadding: true }).encrypt(padded, padded);
}

/**
 * Decrypts AES-256-CBC and removes PKCS#7 padding, checking every padding byte.
 * @param key - 32-byte AES-256 key
 * @param iv - 16-byte initialisation vector
 * @param ciphertext - a non-empty multiple of 16 bytes
 * @returns plaintext
 * @throws InvalidInputError when the ciphertext length is not a positive multiple of 16
 * @throws PaddingError when the padding is malformed
 * @example
 * ```ts
 * const plaintext = aesCbcDecrypt(keys.encKey, iv, ciphertext);
 * ```
 */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  assertBytes(key, 'key', 32);
  assertBytes(iv, 'iv', BLOCK);
  assertBytes(ciphertext, 'ciphertext');
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) {
    throw new InvalidInputError(`ciphertext must be a positive multiple of 16 bytes, got ${ciphertext.length}`);
  }
  const padded = cbc(key, iv, { disablePadding: true }).decrypt(ciphertext);
  const padLength = padded[padded.length - 1] as number;
  let bad = padLength === 0 || padLength > BLOCK ? 1 : 0;
  // Checks all 16 candidate bytes whatever the pad length, so the time taken does not say how
  // many were right. (Callers verify a MAC first, so this is a second line, not the defence.)
  for (let i = 1; i <= BLOCK; i++) {
    const inPad = i <= padLength ? 1 : 0;
    bad |= inPad & ((padded[padded.length - i] as number) !== padLength ? 1 : 0);
  }
  if (bad) throw new PaddingError('invalid PKCS#7 padding');
  return padded.subarray(0, padded.length - padLength);
}
