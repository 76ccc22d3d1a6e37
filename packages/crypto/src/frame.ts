/**
 * Encrypted binary frames: `HMAC-SHA256(macKey, IV ‖ ciphertext) ‖ IV ‖ ciphertext`, with
 * `ciphertext = AES-256-CBC(encKey, IV, PKCS#7(plaintext))`. The same layout in both directions;
 * the `<tag>,` prefix and the client's metric/flag bytes belong to the transport.
 * @module
 */
import { backend } from '#backend';
import { decryptUnpadded } from './aes-cbc.js';
import { assertBytes, assertObject } from './assert.js';
import { constantTimeEqual } from './constant-time.js';
import { FrameAuthError, InvalidInputError } from './errors.js';
import { randomBytes } from './random.js';
import type { SessionKeys } from './session.js';

const MAC_LENGTH = 32;
const IV_LENGTH = 16;
/** MAC, IV and at least one cipher block (PKCS#7 always adds one). */
const MIN_SEALED_LENGTH = MAC_LENGTH + IV_LENGTH + 16;

function assertSessionKeys(keys: unknown): asserts keys is SessionKeys {
  assertObject(keys, 'keys');
  const { encKey, macKey } = keys as Partial<SessionKeys>;
  assertBytes(encKey, 'keys.encKey', 32);
  assertBytes(macKey, 'keys.macKey', 32);
}

/** Options of {@link sealFrame}. */
export interface SealFrameOptions {
  /** A fixed 16-byte IV, for known-answer tests only; by default each frame gets a fresh random IV. */
  iv?: Uint8Array;
}

/**
 * Encrypts and authenticates one binary frame payload (encrypt-then-MAC).
 * @param keys - the session keys
 * @param plaintext - the encoded binary node
 * @param options - a fixed IV for tests
 * @returns `HMAC(32) ‖ IV(16) ‖ ciphertext`
 * @example
 * ```ts
 * const sealed = sealFrame(keys, encode(node));
 * socket.send(concat(utf8Encode(`${tag},`), new Uint8Array([metric, flag]), sealed));
 * ```
 */
export function sealFrame(keys: SessionKeys, plaintext: Uint8Array, options: SealFrameOptions = {}): Uint8Array {
  assertSessionKeys(keys);
  assertBytes(plaintext, 'plaintext');
  assertObject(options, 'options');
  const iv = options.iv ?? randomBytes(IV_LENGTH);
  assertBytes(iv, 'options.iv', IV_LENGTH);
  return backend.sealFrame(keys.encKey, keys.macKey, iv, plaintext);
}

/**
 * Verifies and decrypts one sealed binary frame payload. The HMAC is checked in constant time
 * BEFORE anything is decrypted, so forged frames never reach AES or the padding check (no
 * padding oracle).
 * @param keys - the session keys
 * @param sealed - `HMAC(32) ‖ IV(16) ‖ ciphertext`
 * @returns the plaintext (the encoded binary node)
 * @throws InvalidInputError when shorter than 64 bytes or the ciphertext is not whole blocks
 * @throws FrameAuthError when the HMAC does not match
 * @throws PaddingError when an authentic frame has malformed padding
 * @example
 * ```ts
 * const node = decode(openFrame(keys, payloadAfterTag));
 * ```
 */
export function openFrame(keys: SessionKeys, sealed: Uint8Array): Uint8Array {
  assertSessionKeys(keys);
  assertBytes(sealed, 'sealed');
  if (sealed.length < MIN_SEALED_LENGTH) {
    throw new InvalidInputError(`sealed frame must be at least ${MIN_SEALED_LENGTH} bytes, got ${sealed.length}`);
  }
  if ((sealed.length - MAC_LENGTH - IV_LENGTH) % 16 !== 0) {
    throw new InvalidInputError(`sealed frame ciphertext must be whole 16-byte blocks, got ${sealed.length - MAC_LENGTH - IV_LENGTH} bytes`);
  }
  const body = sealed.subarray(MAC_LENGTH);
  if (!constantTimeEqual(backend.hmacSha256(keys.macKey, body), sealed.subarray(0, MAC_LENGTH))) {
    throw new FrameAuthError('frame HMAC mismatch');
  }
  return decryptUnpadded(keys.encKey, body.subarray(0, IV_LENGTH), body.subarray(IV_LENGTH));
}
