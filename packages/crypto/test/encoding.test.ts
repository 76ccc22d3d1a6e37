import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, InvalidInputError, randomBytes, toBase64, toHex, utf8Decode, utf8Encode } from '../src/index.ts';
import { expectCryptoError } from './helpers.ts';

describe('Base64 (RFC 4648 §10 test vectors)', () => {
  const cases: Array<[string, string]> = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, encoded] of cases) {
    it(`"${plain}" ↔ "${encoded}"`, () => {
      expect(toBase64(utf8Encode(plain))).toBe(encoded);
      expect(utf8Decode(fromBase64(encoded))).toBe(plain);
    });
  }

  it('uses + and / for 62 and 63', () => {
    expect(toBase64(fromHex('fbff'))).toBe('+/8=');
    expect(toHex(fromBase64('+/8='))).toBe('fbff');
  });

  it('round-trips random bytes of every length up to 100', () => {
    for (let length = 0; length <= 100; length++) {
      const bytes = randomBytes(length);
      const text = toBase64(bytes);
      expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
      expect(text.length % 4).toBe(0);
      expect(fromBase64(text)).toEqual(bytes);
    }
  });

  it('rejects anything but canonical padded standard Base64', () => {
    const invalid = [
      'Zg', // no padding
      'Zg=', // short padding
      'Zh==', // non-zero trailing bits
      'Zm9=', // non-zero trailing bits
      'Zm9v\n', // whitespace
      ' Zm9v',
      'Zm-v', // URL-safe alphabet
      'Zm_v',
      'Z===', // too much padding
      '====',
      'Zg==Zg==', // padding in the middle
      'Zm9vYg=a',
      'Zm9\u00e9', // non-ASCII
    ];
    for (const text of invalid) expectCryptoError(() => fromBase64(text), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => fromBase64(42 as unknown as string), InvalidInputError, 'INVALID_INPUT');
    expectCryptoError(() => toBase64('abc' as unknown as Uint8Array), InvalidInputError, 'INVALID_INPUT');
  });
});

describe('hex', () => {
  it('encodes lower case and decodes either case', () => {
    expect(toHex(new Uint8Array([0, 1, 0x7f, 0x80, 0xab, 0xff]))).toBe('00017f80abff');
    expect(fromHex('00017F80abFF')).toEqual(new Uint8Array([0, 1, 0x7f, 0x80, 0xab, 0xff]));
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });
  it('rejects odd length and non-hex characters', () => {
    for (const text of ['0', 'abc', 'zz', '0g', ' 00', '0x00']) {
      expectCryptoError(() => fromHex(text), InvalidInputError, 'INVALID_INPUT');
    }
  });
});

describe('UTF-8', () => {
  it('encodes and decodes multi-byte text', () => {
    expect(toHex(utf8Encode('é€😀'))).toBe('c3a9e282acf09f9880');
    expect(utf8Decode(fromHex('c3a9e282acf09f9880'))).toBe('é€😀');
  });
  it('keeps a leading byte-order mark', () => {
    expect(utf8Decode(fromHex('efbbbf41'))).toBe('\ufeffA');
  });
  it('rejects malformed UTF-8', () => {
    for (const hex of ['ff', 'c3', 'e282', 'c0af', 'eda080']) {
      expectCryptoError(() => utf8Decode(fromHex(hex)), InvalidInputError, 'INVALID_INPUT');
    }
  });
});
