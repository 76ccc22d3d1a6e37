// Primitives against published test vectors, as fixed hex: RFC 5869 (HKDF), RFC 4231 (HMAC),
// FIPS 180-2 (SHA-256), NIST SP 800-38A (AES-256-CBC), RFC 7748 (X25519).
import { describe, expect, it } from 'vitest';
import {
  aesCbcDecrypt,
  aesCbcEncrypt,
  constantTimeEqual,
  fromHex,
  generateKeyPair,
  hkdf,
  hmacSha256,
  InvalidInputError,
  KeyAgreementError,
  keyPairFromPrivateKey,
  PaddingError,
  randomBytes,
  sha256,
  sharedSecret,
  toHex,
  utf8Encode,
} from '../src/index.ts';
import { expectCryptoError } from './helpers.ts';

describe('hkdf (RFC 5869)', () => {
  const ikm = fromHex('0b'.repeat(22));

  it('test case 1: salt and info', () => {
    const okm = hkdf(ikm, { salt: fromHex('000102030405060708090a0b0c'), info: fromHex('f0f1f2f3f4f5f6f7f8f9'), length: 42 });
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('test case 3: no salt, no info; a 32-byte zero salt is the same', () => {
    const expected = '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8';
    expect(toHex(hkdf(ikm, { length: 42 }))).toBe(expected);
    expect(toHex(hkdf(ikm, { salt: new Uint8Array(32), length: 42 }))).toBe(expected);
    expect(toHex(hkdf(ikm, { salt: new Uint8Array(0), info: '', length: 42 }))).toBe(expected);
  });

  it('takes a string info as UTF-8', () => {
    const key = fromHex('11'.repeat(32));
    expect(hkdf(key, { info: 'WhatsApp Image Keys', length: 112 })).toEqual(
      hkdf(key, { info: utf8Encode('WhatsApp Image Keys'), length: 112 }),
    );
  });

  it('rejects bad lengths and types', () => {
    expectCryptoError(() => hkdf(ikm, { length: 0 }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => hkdf(ikm, { length: 255 * 32 + 1 }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => hkdf(ikm, { length: 1.5 }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => hkdf('ikm' as unknown as Uint8Array, { length: 32 }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => hkdf(ikm, { salt: [0] as unknown as Uint8Array, length: 32 }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => hkdf(ikm, null as unknown as { length: number }), InvalidInputError, 'INVALID_INPUT');
    expect(hkdf(ikm, { length: 255 * 32 })).toHaveLength(255 * 32);
  });
});

describe('hmacSha256 (RFC 4231)', () => {
  it('test case 1', () => {
    expect(toHex(hmacSha256(fromHex('0b'.repeat(20)), utf8Encode('Hi There')))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
  });
  it('test case 2', () => {
    expect(toHex(hmacSha256(utf8Encode('Jefe'), utf8Encode('what do ya want for nothing?')))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
  it('test case 6: key longer than the block', () => {
    const data = utf8Encode('Test Using Larger Than Block-Size Key - Hash Key First');
    expect(toHex(hmacSha256(fromHex('aa'.repeat(131)), data))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });
});

describe('sha256 (FIPS 180-2)', () => {
  it('hashes "abc" and the empty string', () => {
    expect(toHex(sha256(utf8Encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('AES-256-CBC (NIST SP 800-38A F.2.5/F.2.6) with PKCS#7', () => {
  const key = fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
  const iv = fromHex('000102030405060708090a0b0c0d0e0f');
  const plaintext = fromHex(
    '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
  );
  const nistCiphertext =
    'f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b';

  it('encrypts the NIST blocks, then one full padding block', () => {
    const ciphertext = aesCbcEncrypt(key, iv, plaintext);
    expect(ciphertext).toHaveLength(80);
    expect(toHex(ciphertext.subarray(0, 64))).toBe(nistCiphertext);
    expect(aesCbcDecrypt(key, iv, ciphertext)).toEqual(plaintext);
  });

  it('round-trips every length from 0 to 48', () => {
    for (let length = 0; length <= 48; length++) {
      const data = randomBytes(length);
      const ciphertext = aesCbcEncrypt(key, iv, data);
      expect(ciphertext.length).toBe((Math.floor(length / 16) + 1) * 16);
      expect(aesCbcDecrypt(key, iv, ciphertext)).toEqual(data);
    }
  });

  it('does not modify its inputs', () => {
    const data = randomBytes(40);
    const copy = data.slice();
    const ciphertext = aesCbcEncrypt(key, iv, data);
    const cipherCopy = ciphertext.slice();
    aesCbcDecrypt(key, iv, ciphertext);
    expect(data).toEqual(copy);
    expect(ciphertext).toEqual(cipherCopy);
    expect(toHex(iv)).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('rejects malformed padding with PaddingError', () => {
    // Ciphertext of the NIST blocks alone: the last plaintext byte 0x10 claims 16 padding bytes
    // that are not all 0x10.
    expectCryptoError(() => aesCbcDecrypt(key, iv, fromHex(nistCiphertext)), PaddingError, 'BAD_PADDING', [key]);
    // A final byte of 0x00, and one above 16.
    for (const last of [0x00, 0x11, 0xff]) {
      const block = new Uint8Array(32).fill(7);
      block[31] = last;
      const ciphertext = aesCbcEncrypt(key, iv, block).subarray(0, 32);
      expectCryptoError(() => aesCbcDecrypt(key, iv, ciphertext), PaddingError, 'BAD_PADDING');
    }
    // Pad length 3 but one of the three bytes differs.
    const block = new Uint8Array(16).fill(3);
    block[13] = 4;
    expectCryptoError(() => aesCbcDecrypt(key, iv, aesCbcEncrypt(key, iv, block).subarray(0, 16)), PaddingError, 'BAD_PADDING');
  });

  it('rejects wrong lengths and types with InvalidInputError', () => {
    expectCryptoError(() => aesCbcEncrypt(key.subarray(0, 16), iv, plaintext), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => aesCbcEncrypt(key, iv.subarray(0, 8), plaintext), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => aesCbcDecrypt(key, iv, new Uint8Array(0)), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => aesCbcDecrypt(key, iv, new Uint8Array(17)), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => aesCbcEncrypt(key, iv, 'text' as unknown as Uint8Array), InvalidInputError, 'INVALID_INPUT');
  });
});

describe('X25519 (RFC 7748 §6.1)', () => {
  const alicePrivate = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const bobPrivate = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  it('derives the public keys and the shared secret', () => {
    const alice = keyPairFromPrivateKey(alicePrivate);
    const bob = keyPairFromPrivateKey(bobPrivate);
    expect(toHex(alice.publicKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bob.publicKey)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    expect(toHex(sharedSecret(alice.privateKey, bob.publicKey))).toBe(shared);
    expect(toHex(sharedSecret(bob.privateKey, alice.publicKey))).toBe(shared);
  });

  it('generates distinct key pairs that agree', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    expect(a.privateKey).toHaveLength(32);
    expect(a.publicKey).toHaveLength(32);
    expect(toHex(a.privateKey)).not.toBe(toHex(b.privateKey));
    expect(sharedSecret(a.privateKey, b.publicKey)).toEqual(sharedSecret(b.privateKey, a.publicKey));
  });

  it('copies the private key', () => {
    const privateKey = alicePrivate.slice();
    const pair = keyPairFromPrivateKey(privateKey);
    privateKey.fill(0);
    expect(toHex(pair.privateKey)).toBe(toHex(alicePrivate));
  });

  it('rejects low-order public keys (all-zero shared secret) with KeyAgreementError', () => {
    const lowOrder = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    ];
    for (const point of lowOrder) {
      expectCryptoError(() => sharedSecret(alicePrivate, fromHex(point)), KeyAgreementError, 'KEY_AGREEMENT', [alicePrivate]);
    }
  });

  it('rejects wrong lengths', () => {
    expectCryptoError(() => keyPairFromPrivateKey(new Uint8Array(31)), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => sharedSecret(alicePrivate, new Uint8Array(33)), InvalidInputError, 'INVALID_INPUT');
  });
});

describe('constantTimeEqual', () => {
  it('compares contents and lengths', () => {
    expect(constantTimeEqual(fromHex('00ff'), fromHex('00ff'))).toBe(true);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(constantTimeEqual(fromHex('00ff'), fromHex('00fe'))).toBe(false);
    expect(constantTimeEqual(fromHex('80ff'), fromHex('00ff'))).toBe(false);
    expect(constantTimeEqual(fromHex('00ff'), fromHex('00ff00'))).toBe(false);
    expectCryptoError(() => constantTimeEqual('a' as unknown as Uint8Array, fromHex('00')), InvalidInputError, 'INVALID_INPUT');
  });
});

describe('randomBytes', () => {
  it('returns the requested length, beyond the 64 KiB getRandomValues limit too', () => {
    expect(randomBytes(0)).toHaveLength(0);
    const big = randomBytes(65536 * 2 + 5);
    expect(big).toHaveLength(65536 * 2 + 5);
    // Each 64 KiB chunk was filled: an all-zero run at a chunk's start would mean it was skipped
    // (chance of a false alarm: 2^-40 per chunk).
    for (const start of [0, 65536, 65536 * 2]) expect(big.subarray(start, start + 5).some((byte) => byte !== 0)).toBe(true);
    expect(toHex(randomBytes(32))).not.toBe(toHex(randomBytes(32)));
  });
  it('hands out small draws once each, across pool refills, never zeroed', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const draw = randomBytes(16 + (i % 49)); // 16 to 64 bytes: 24 000 bytes, several 4 KiB refills
      expect(draw.some((byte) => byte !== 0)).toBe(true);
      seen.add(toHex(draw.subarray(0, 16)));
    }
    expect(seen.size).toBe(600);
    // A draw is a copy: changing it does not touch later draws.
    const a = randomBytes(16);
    a.fill(0);
    expect(randomBytes(16).some((byte) => byte !== 0)).toBe(true);
  });
  it('rejects bad lengths', () => {
    expectCryptoError(() => randomBytes(-1), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => randomBytes(1.5), InvalidInputError, 'INVALID_INPUT');
  });
});
