import { describe, expect, it } from 'vitest';
import {
  aesCbcEncrypt,
  FrameAuthError,
  fromHex,
  hmacSha256,
  InvalidInputError,
  openFrame,
  PaddingError,
  randomBytes,
  sealFrame,
  toHex,
  type SessionKeys,
} from '../src/index.ts';
import { expectCryptoError, flipBit } from './helpers.ts';

const keys: SessionKeys = {
  encKey: fromHex('30fe7998ffbe0e65f829eea91dcf112d6da9656dbc5f4d165e684452305701f0'),
  macKey: fromHex('e960499520f81ebdd575781fcc95833571161d35db0fc6b60b6f36a4f9f91fc5'),
};
const secrets = [keys.encKey, keys.macKey];

/** Assembles HMAC ‖ IV ‖ ciphertext around arbitrary ciphertext, with a valid HMAC. */
function authentic(iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const body = new Uint8Array(16 + ciphertext.length);
  body.set(iv, 0);
  body.set(ciphertext, 16);
  const sealed = new Uint8Array(32 + body.length);
  sealed.set(hmacSha256(keys.macKey, body), 0);
  sealed.set(body, 32);
  return sealed;
}

describe('sealFrame / openFrame', () => {
  it('round-trips every length from 0 to 70 and a 64 KiB frame', () => {
    for (const length of [...Array.from({ length: 71 }, (_, i) => i), 65536]) {
      const plaintext = randomBytes(length);
      const sealed = sealFrame(keys, plaintext);
      expect(sealed.length).toBe(48 + (Math.floor(length / 16) + 1) * 16);
      expect(openFrame(keys, sealed)).toEqual(plaintext);
    }
  });

  it('uses a fresh IV for every frame', () => {
    const plaintext = new Uint8Array(20);
    const a = sealFrame(keys, plaintext);
    const b = sealFrame(keys, plaintext);
    expect(toHex(a.subarray(32, 48))).not.toBe(toHex(b.subarray(32, 48)));
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('lays out HMAC(macKey, IV ‖ ciphertext) ‖ IV ‖ ciphertext', () => {
    const iv = fromHex('000102030405060708090a0b0c0d0e0f');
    const plaintext = randomBytes(33);
    const sealed = sealFrame(keys, plaintext, { iv });
    expect(toHex(sealed.subarray(32, 48))).toBe(toHex(iv));
    expect(toHex(sealed.subarray(48))).toBe(toHex(aesCbcEncrypt(keys.encKey, iv, plaintext)));
    expect(toHex(sealed.subarray(0, 32))).toBe(toHex(hmacSha256(keys.macKey, sealed.subarray(32))));
  });

  it('rejects every single-bit flip of a sealed frame with FrameAuthError', () => {
    const sealed = sealFrame(keys, randomBytes(100));
    expect(sealed).toHaveLength(160);
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      expectCryptoError(() => openFrame(keys, flipBit(sealed, bit)), FrameAuthError, 'FRAME_AUTH', secrets);
    }
  });

  it('rejects the wrong keys with FrameAuthError', () => {
    const sealed = sealFrame(keys, randomBytes(10));
    expectCryptoError(() => openFrame({ encKey: keys.encKey, macKey: randomBytes(32) }, sealed), FrameAuthError, 'FRAME_AUTH');
  });

  it('rejects truncated, extended and unaligned frames with InvalidInputError before any MAC work', () => {
    const sealed = sealFrame(keys, randomBytes(40));
    for (const length of [0, 31, 32, 48, 63]) {
      expectCryptoError(() => openFrame(keys, sealed.subarray(0, length)), InvalidInputError, 'INVALID_INPUT');
    }
    expectCryptoError(() => openFrame(keys, sealed.subarray(0, sealed.length - 1)), InvalidInputError, 'INVALID_INPUT');
    const extended = new Uint8Array(sealed.length + 1);
    extended.set(sealed);
    expectCryptoError(() => openFrame(keys, extended), InvalidInputError, 'INVALID_INPUT');
    // Cutting whole blocks keeps the layout valid but breaks the MAC.
    expectCryptoError(() => openFrame(keys, sealed.subarray(0, sealed.length - 16)), FrameAuthError, 'FRAME_AUTH');
  });

  it('rejects an authentic frame with malformed padding with PaddingError', () => {
    const iv = randomBytes(16);
    const ciphertext = aesCbcEncrypt(keys.encKey, iv, new Uint8Array(32)).subarray(0, 32); // last plaintext byte 0x00
    expectCryptoError(() => openFrame(keys, authentic(iv, ciphertext)), PaddingError, 'BAD_PADDING', secrets);
  });

  it('rejects malformed keys and arguments with InvalidInputError', () => {
    const plaintext = randomBytes(8);
    const sealed = sealFrame(keys, plaintext);
    const badKeys = [
      null,
      {},
      { encKey: keys.encKey },
      { encKey: keys.encKey.subarray(1), macKey: keys.macKey },
      { encKey: keys.encKey, macKey: toHex(keys.macKey) },
    ] as unknown as SessionKeys[];
    for (const bad of badKeys) {
      expectCryptoError(() => sealFrame(bad, plaintext), InvalidInputError, 'INVALID_INPUT', secrets);
      expectCryptoError(() => openFrame(bad, sealed), InvalidInputError, 'INVALID_INPUT', secrets);
    }
    expectCryptoError(() => sealFrame(keys, 'text' as unknown as Uint8Array), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => sealFrame(keys, plaintext, { iv: new Uint8Array(12) }), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => openFrame(keys, Array.from(sealed) as unknown as Uint8Array), InvalidInputError, 'INVALID_INPUT');
  });

  it('accepts a frame that is a view into a larger buffer (as after the tag prefix)', () => {
    const plaintext = randomBytes(50);
    const sealed = sealFrame(keys, plaintext);
    const message = new Uint8Array(7 + sealed.length);
    message.set(sealed, 7);
    expect(openFrame(keys, message.subarray(7))).toEqual(plaintext);
  });
});
