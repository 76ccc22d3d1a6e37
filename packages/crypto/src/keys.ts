/**
 * X25519 key pairs and key agreement (RFC 7748), computed by the backend (`node:crypto` in Node,
 * `@noble/curves` elsewhere).
 * @module
 */
import { backend } from '#backend';
import { assertBytes } from './assert.js';
import { KeyAgreementError } from './errors.js';
import { randomBytes } from './random.js';

/** An X25519 key pair; both keys are 32 bytes. */
export type KeyPair = { privateKey: Uint8Array; publicKey: Uint8Array };

/**
 * Derives the public key for a 32-byte X25519 private key. Any 32 bytes are a valid private key
 * (X25519 clamps them), which is what lets a stored or seeded key be reused as is.
 * @param privateKey - 32-byte private key
 * @returns the key pair (the private key is copied, so later changes to the argument do not leak in)
 * @example
 * ```ts
 * const { publicKey } = keyPairFromPrivateKey(fromBase64(stored.privateKey));
 * ```
 */
export function keyPairFromPrivateKey(privateKey: Uint8Array): KeyPair {
  assertBytes(privateKey, 'privateKey', 32);
  return { privateKey: privateKey.slice(), publicKey: backend.x25519PublicKey(privateKey) };
}

/**
 * Generates a fresh X25519 key pair. The client sends the public key in its QR code
 * (`ref,base64(publicKey),clientId`) and keeps the private key to derive the session keys.
 * @returns a new key pair
 * @example
 * ```ts
 * const keyPair = generateKeyPair();
 * const qr = `${ref},${toBase64(keyPair.publicKey)},${clientId}`;
 * ```
 */
export function generateKeyPair(): KeyPair {
  return keyPairFromPrivateKey(randomBytes(32));
}

/**
 * X25519 key agreement. Rejects the low-order public keys whose shared secret is all-zero
 * (RFC 7748 §6.1): such a "secret" is known to everyone, so it must never key a session.
 * @param privateKey - own 32-byte private key
 * @param publicKey - peer's 32-byte public key
 * @returns the 32-byte shared secret
 * @throws KeyAgreementError for a low-order peer key
 * @example
 * ```ts
 * const shared = sharedSecret(keyPair.privateKey, secret.subarray(0, 32));
 * ```
 */
export function sharedSecret(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  assertBytes(privateKey, 'privateKey', 32);
  assertBytes(publicKey, 'publicKey', 32);
  let shared: Uint8Array;
  try {
    // noble refuses the low-order points up front (before the ladder runs on the secret
    // scalar); OpenSSL fails the derivation when the result is all zero.
    shared = backend.x25519(privateKey, publicKey);
  } catch {
    throw new KeyAgreementError('X25519 peer public key is of low order');
  }
  // RFC 7748 §6.1's own check on the output, kept so the guarantee does not rest on one
  // library's own check alone.
  let any = 0;
  for (let i = 0; i < shared.length; i++) any |= shared[i] as number;
  if (any === 0) throw new KeyAgreementError('X25519 shared secret is all zero');
  return shared;
}
