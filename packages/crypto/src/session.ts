/**
 * Session keys of the legacy protocol: the client turns the 144-byte `Conn.secret` into
 * `{ encKey, macKey }`, and the server side builds such a secret for a client's public key.
 * The steps follow protocol/FACTS.md "Key derivation (exact)".
 *
 * Layout of `Conn.secret`: `[0:32]` server ephemeral public key, `[32:64]` HMAC, `[64:144]`
 * the AES-CBC-encrypted `encKey ‖ macKey` (64 bytes plus one full block of PKCS#7 padding).
 * @module
 */
import { aesCbcEncrypt, decryptUnpadded } from './aes-cbc.js';
import { assertBytes, assertObject } from './assert.js';
import { constantTimeEqual } from './constant-time.js';
import { KeyAgreementError, PaddingError, SecretMismatchError } from './errors.js';
import { hkdf, hmacSha256OfParts } from './hash.js';
import { keyPairFromPrivateKey, sharedSecret } from './keys.js';
import { drawRandom, type RandomSource } from './random.js';

/** The two 32-byte keys of a session: AES-256 key and HMAC-SHA256 key for binary frames. */
export type SessionKeys = { encKey: Uint8Array; macKey: Uint8Array };

/** Length of the decoded `Conn.secret`. */
export const SECRET_LENGTH = 144;

/** HKDF-Extract salt of the derivation: the seed's `HmacSha256("\0"*32, shared)`. */
const ZERO_SALT = /* @__PURE__ */ new Uint8Array(32);

/**
 * `expanded = HKDF-SHA256(salt = 32 zero bytes, ikm = shared, info = "", L = 80)`, split into
 * the AES key `[0:32]`, the HMAC key `[32:64]` and the AES IV `[64:80]`.
 */
function expandShared(shared: Uint8Array): { aesKey: Uint8Array; hmacKey: Uint8Array; iv: Uint8Array } {
  const expanded = hkdf(shared, { salt: ZERO_SALT, length: 80 });
  return { aesKey: expanded.subarray(0, 32), hmacKey: expanded.subarray(32, 64), iv: expanded.subarray(64, 80) };
}

/** Input of {@link deriveSessionKeys}. */
export interface DeriveSessionKeysInput {
  /** The 144 bytes of `Conn.secret` (Base64-decoded with {@link fromBase64}). */
  secret: Uint8Array;
  /** The client's 32-byte X25519 private key whose public key was in the QR code. */
  privateKey: Uint8Array;
}

/**
 * Derives the session keys from `Conn.secret` (client side of the login):
 * 1. `shared = X25519(privateKey, secret[0:32])`
 * 2. `expanded = HKDF-SHA256(salt = zero32, shared, L = 80)`
 * 3. check `HMAC-SHA256(expanded[32:64], secret[0:32] ‖ secret[64:144]) == secret[32:64]` in
 *    constant time (the seed calls this optional; here it is mandatory, since without it a
 *    forged secret silently yields wrong keys)
 * 4. `encKey ‖ macKey = AES-256-CBC-decrypt(expanded[0:32], iv = expanded[64:80], secret[64:144])`
 *    with the PKCS#7 padding checked
 * @param input - the decoded secret and the client's private key
 * @returns the session keys
 * @throws InvalidInputError when either argument is not a Uint8Array of the right length
 * @throws SecretMismatchError when the HMAC does not match (tampered secret, wrong private key)
 * @throws PaddingError when the authenticated key block is not 64 bytes plus one padding block
 * @example
 * ```ts
 * const keyPair = generateKeyPair(); // public key went into the QR code
 * // … the phone scans it; the server sends ["Conn", { secret, … }]
 * const { encKey, macKey } = deriveSessionKeys({
 *   secret: fromBase64(conn.secret),
 *   privateKey: keyPair.privateKey,
 * });
 * ```
 */
export function deriveSessionKeys(input: DeriveSessionKeysInput): SessionKeys {
  assertObject(input, 'input');
  const { secret, privateKey } = input;
  assertBytes(secret, 'secret', SECRET_LENGTH);
  assertBytes(privateKey, 'privateKey', 32);
  const serverPublicKey = secret.subarray(0, 32);
  let shared: Uint8Array;
  try {
    shared = sharedSecret(privateKey, serverPublicKey);
  } catch (error) {
    // A low-order key can only come from a forged or corrupted secret: report it as such.
    if (error instanceof KeyAgreementError) throw new SecretMismatchError('Conn.secret carries an unusable server public key');
    throw error;
  }
  const { aesKey, hmacKey, iv } = expandShared(shared);
  const expectedMac = hmacSha256OfParts(hmacKey, [serverPublicKey, secret.subarray(64)]);
  if (!constantTimeEqual(expectedMac, secret.subarray(32, 64))) {
    throw new SecretMismatchError('Conn.secret HMAC mismatch: tampered, corrupted or built for another key');
  }
  const keys = decryptUnpadded(aesKey, iv, secret.subarray(64));
  if (keys.length !== 64) throw new PaddingError(`Conn.secret key block must hold 64 bytes, got ${keys.length}`);
  return { encKey: keys.slice(0, 32), macKey: keys.slice(32, 64) };
}

/** Options of {@link buildSecret}. */
export interface BuildSecretOptions {
  /**
   * Source of the ephemeral private key, then `encKey`, then `macKey` (three draws of 32
   * bytes, in that order). Inject a seeded generator for reproducible sessions.
   */
  randomBytes?: RandomSource;
}

/** Result of {@link buildSecret}. */
export interface BuiltSecret extends SessionKeys {
  /** The 144-byte `Conn.secret` to send Base64-encoded to the client. */
  secret: Uint8Array;
}

/**
 * The server side of the login: builds a `Conn.secret` for the client's public key from a fresh
 * ephemeral key pair and fresh random `encKey`/`macKey`, running the derivation steps backwards.
 * The AES IV is not random: it is `expanded[64:80]`, because the client takes it from there.
 * @param clientPublicKey - the 32-byte X25519 public key from the client's QR code
 * @param options - an injectable random source
 * @returns the secret and the keys the client will derive from it
 * @throws InvalidInputError when the key is not 32 bytes
 * @throws KeyAgreementError when the client key is of low order
 * @example
 * ```ts
 * const { secret, encKey, macKey } = buildSecret(clientPublicKey);
 * socket.send(`s1,${JSON.stringify(['Conn', { secret: toBase64(secret), … }])}`);
 * ```
 */
export function buildSecret(clientPublicKey: Uint8Array, options: BuildSecretOptions = {}): BuiltSecret {
  assertBytes(clientPublicKey, 'clientPublicKey', 32);
  assertObject(options, 'options');
  const random = options.randomBytes;
  const ephemeral = keyPairFromPrivateKey(drawRandom(random, 32));
  const { aesKey, hmacKey, iv } = expandShared(sharedSecret(ephemeral.privateKey, clientPublicKey));
  const encKey = drawRandom(random, 32).slice();
  const macKey = drawRandom(random, 32).slice();
  const keyBlock = new Uint8Array(64);
  keyBlock.set(encKey, 0);
  keyBlock.set(macKey, 32);
  const encryptedKeys = aesCbcEncrypt(aesKey, iv, keyBlock);
  keyBlock.fill(0);
  const secret = new Uint8Array(SECRET_LENGTH);
  secret.set(ephemeral.publicKey, 0);
  secret.set(encryptedKeys, 64);
  secret.set(hmacSha256OfParts(hmacKey, [ephemeral.publicKey, encryptedKeys]), 32);
  return { secret, encKey, macKey };
}
