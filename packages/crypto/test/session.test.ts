import vectors from '@vectors/crypto-known-answers.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  aesCbcEncrypt,
  buildSecret,
  deriveSessionKeys,
  fromBase64,
  fromHex,
  generateKeyPair,
  hkdf,
  hmacSha256,
  InvalidInputError,
  KeyAgreementError,
  keyPairFromPrivateKey,
  PaddingError,
  SecretMismatchError,
  sharedSecret,
  toHex,
} from '../src/index.ts';
import { expectCryptoError, flipBit, seededRandom } from './helpers.ts';

const vector = vectors.sessions[0]!;
const vectorSecret = fromBase64(vector.secretBase64);
const vectorPrivateKey = fromHex(vector.clientPrivateKey);

/**
 * Builds a Conn.secret by hand from the primitives, with an arbitrary 80-byte encrypted block,
 * so tests can produce secrets whose HMAC is valid but whose contents are not.
 */
function secretWithBlock(clientPublicKey: Uint8Array, encryptBlock: (aesKey: Uint8Array, iv: Uint8Array) => Uint8Array): Uint8Array {
  const ephemeral = generateKeyPair();
  const expanded = hkdf(sharedSecret(ephemeral.privateKey, clientPublicKey), { salt: new Uint8Array(32), length: 80 });
  const block = encryptBlock(expanded.subarray(0, 32), expanded.subarray(64, 80));
  expect(block).toHaveLength(80);
  const secret = new Uint8Array(144);
  secret.set(ephemeral.publicKey, 0);
  secret.set(block, 64);
  const macInput = new Uint8Array(112);
  macInput.set(ephemeral.publicKey, 0);
  macInput.set(block, 32);
  secret.set(hmacSha256(expanded.subarray(32, 64), macInput), 32);
  return secret;
}

describe('buildSecret → deriveSessionKeys', () => {
  it('round-trips for many random client keys', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const client = generateKeyPair();
      const built = buildSecret(client.publicKey);
      expect(built.secret).toHaveLength(144);
      expect(built.encKey).toHaveLength(32);
      expect(built.macKey).toHaveLength(32);
      const derived = deriveSessionKeys({ secret: built.secret, privateKey: client.privateKey });
      expect(toHex(derived.encKey)).toBe(toHex(built.encKey));
      expect(toHex(derived.macKey)).toBe(toHex(built.macKey));
      seen.add(toHex(built.encKey));
    }
    expect(seen.size).toBe(64);
  });

  it('is deterministic with an injected random source, drawing ephemeral key, encKey, macKey', () => {
    const client = keyPairFromPrivateKey(fromHex('42'.repeat(32)));
    const a = buildSecret(client.publicKey, { randomBytes: seededRandom(7) });
    const b = buildSecret(client.publicKey, { randomBytes: seededRandom(7) });
    expect(toHex(a.secret)).toBe(toHex(b.secret));
    const draws = seededRandom(7);
    const ephemeral = keyPairFromPrivateKey(draws(32));
    expect(toHex(a.secret.subarray(0, 32))).toBe(toHex(ephemeral.publicKey));
    expect(toHex(a.encKey)).toBe(toHex(draws(32)));
    expect(toHex(a.macKey)).toBe(toHex(draws(32)));
    expect(toHex(buildSecret(client.publicKey, { randomBytes: seededRandom(8) }).secret)).not.toBe(toHex(a.secret));
  });

  it('rejects a random source that breaks its contract', () => {
    const { publicKey } = generateKeyPair();
    expectCryptoError(() => buildSecret(publicKey, { randomBytes: (n) => new Uint8Array(n - 1) }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(
      () => buildSecret(publicKey, { randomBytes: (n) => new Array(n).fill(1) as unknown as Uint8Array }),
      InvalidInputError,
      'INVALID_INPUT',
    );
    expectCryptoError(() => buildSecret(publicKey, { randomBytes: 5 as unknown as () => Uint8Array }), InvalidInputError, 'INVALID_INPUT');
  });

  it('rejects bad client public keys', () => {
    expectCryptoError(() => buildSecret(new Uint8Array(31)), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => buildSecret('key' as unknown as Uint8Array), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => buildSecret(new Uint8Array(32)), KeyAgreementError, 'KEY_AGREEMENT');
  });
});

describe('deriveSessionKeys rejects', () => {
  it('every single-bit flip of a secret (all 1152 bits) with SecretMismatchError', () => {
    expect(toHex(deriveSessionKeys({ secret: vectorSecret, privateKey: vectorPrivateKey }).encKey)).toBe(vector.encKey);
    let rejected = 0;
    for (let bit = 0; bit < 144 * 8; bit++) {
      const tampered = flipBit(vectorSecret, bit);
      expectCryptoError(
        () => deriveSessionKeys({ secret: tampered, privateKey: vectorPrivateKey }),
        SecretMismatchError,
        'SECRET_MISMATCH',
        [vectorPrivateKey, fromHex(vector.encKey), fromHex(vector.macKey)],
      );
      rejected++;
    }
    expect(rejected).toBe(1152);
  });

  it('the wrong private key', () => {
    const other = generateKeyPair().privateKey;
    expectCryptoError(() => deriveSessionKeys({ secret: vectorSecret, privateKey: other }), SecretMismatchError, 'SECRET_MISMATCH', [other]);
  });

  it('a secret carrying a low-order server key as a mismatch', () => {
    const secret = vectorSecret.slice();
    secret.fill(0, 0, 32);
    expectCryptoError(() => deriveSessionKeys({ secret, privateKey: vectorPrivateKey }), SecretMismatchError, 'SECRET_MISMATCH');
  });

  it('wrong lengths and types with InvalidInputError', () => {
    const privateKey = vectorPrivateKey;
    for (const length of [0, 32, 143, 145, 192]) {
      const error = expectCryptoError(
        () => deriveSessionKeys({ secret: new Uint8Array(length), privateKey }),
        InvalidInputError,
        'INVALID_INPUT',
      );
      expect(error.message).toContain('144');
    }
    expectCryptoError(() => deriveSessionKeys({ secret: vectorSecret, privateKey: privateKey.subarray(1) }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(
      () => deriveSessionKeys({ secret: vector.secretBase64 as unknown as Uint8Array, privateKey }),
      InvalidInputError,
      'INVALID_INPUT',
    );
    expectCryptoError(
      () => deriveSessionKeys({ secret: Array.from(vectorSecret) as unknown as Uint8Array, privateKey }),
      InvalidInputError,
      'INVALID_INPUT',
    );
    expectCryptoError(() => deriveSessionKeys(undefined as unknown as { secret: Uint8Array; privateKey: Uint8Array }), InvalidInputError, 'INVALID_INPUT');
  });

  it('an authentic secret with malformed PKCS#7 padding with PaddingError', () => {
    const client = generateKeyPair();
    // Five blocks whose last plaintext byte is 0x00: CBC's first 80 ciphertext bytes depend only
    // on the first 80 plaintext bytes, so cutting the padding block off leaves a bad pad.
    const secret = secretWithBlock(client.publicKey, (aesKey, iv) => aesCbcEncrypt(aesKey, iv, new Uint8Array(80)).subarray(0, 80));
    expectCryptoError(() => deriveSessionKeys({ secret, privateKey: client.privateKey }), PaddingError, 'BAD_PADDING');
  });

  it('an authentic secret whose key block is not 64 bytes with PaddingError', () => {
    const client = generateKeyPair();
    const secret = secretWithBlock(client.publicKey, (aesKey, iv) => aesCbcEncrypt(aesKey, iv, new Uint8Array(79).fill(9)));
    expectCryptoError(() => deriveSessionKeys({ secret, privateKey: client.privateKey }), PaddingError, 'BAD_PADDING');
  });

  it('accepts a hand-built secret with a 64-byte key block (the helper above is sound)', () => {
    const client = generateKeyPair();
    const keys = new Uint8Array(64).map((_, i) => i);
    const secret = secretWithBlock(client.publicKey, (aesKey, iv) => aesCbcEncrypt(aesKey, iv, keys));
    const derived = deriveSessionKeys({ secret, privateKey: client.privateKey });
    expect(derived.encKey).toEqual(keys.subarray(0, 32));
    expect(derived.macKey).toEqual(keys.subarray(32, 64));
  });
});
