/**
 * AES-256-CBC with PKCS#7 padding: the one cipher of the protocol. The block work is the
 * backend's (`node:crypto` in Node, `@noble/ciphers` elsewhere); the checks are made here, once,
 * so both report the same typed errors.
 *
 * Padding is checked here rather than by the library so that a bad pad is reported as this
 * package's typed {@link PaddingError}, by the same constant-time check in every runtime.
 * @module
 */
import { backend } from '#backend';
import { assertBytes } from './assert.js';
import { InvalidInputError, PaddingError } from './errors.js';
import { BLOCK, unpaddedLength } from './pkcs7.js';

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
  return backend.aesCbcEncrypt(key, iv, plaintext);
}

/** Throws InvalidInputError unless `ciphertext` is a positive multiple of 16 bytes. Internal. */
export function assertWholeBlocks(ciphertext: Uint8Array): void {
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) {
    throw new InvalidInputError(`ciphertext must be a positive multiple of 16 bytes, got ${ciphertext.length}`);
  }
}

/**
 * AES-256-CBC decryption of checked arguments, PKCS#7 padding checked in constant time and
 * removed (the result is a view, not a copy). Internal: the frame, media and session code call it
 * after their MAC check.
 */
export function decryptUnpadded(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const padded = backend.aesCbcDecryptBlocks(key, iv, ciphertext);
  const length = unpaddedLength(padded);
  if (length < 0) throw new PaddingError('invalid PKCS#7 padding');
  return padded.subarray(0, length);
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
  assertWholeBlocks(ciphertext);
  return decryptUnpadded(key, iv, ciphertext);
}
