import vectors from '@vectors/crypto-known-answers.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  aesCbcEncrypt,
  decryptMedia,
  encryptMedia,
  expandMediaKey,
  fromHex,
  hkdf,
  hmacSha256,
  InvalidInputError,
  MediaIntegrityError,
  PaddingError,
  randomBytes,
  sha256,
  toHex,
  type MediaType,
} from '../src/index.ts';
import { expectCryptoError, flipBit, MEDIA_INFO, seededRandom } from './helpers.ts';

const TYPES: MediaType[] = ['image', 'video', 'audio', 'document', 'sticker'];

describe('expandMediaKey', () => {
  const mediaKey = fromHex('8843cc48a98907937561375e90a2d7d3b371fab8319a8c4d4ca70cccb6fc7ca5');

  it('splits HKDF(mediaKey, "WhatsApp <Type> Keys", 112) into iv, cipherKey, macKey, refKey', () => {
    for (const type of TYPES) {
      const expanded = toHex(hkdf(mediaKey, { info: MEDIA_INFO[type], length: 112 }));
      const keys = expandMediaKey(mediaKey, type);
      expect(toHex(keys.iv)).toBe(expanded.slice(0, 32));
      expect(toHex(keys.cipherKey)).toBe(expanded.slice(32, 96));
      expect(toHex(keys.macKey)).toBe(expanded.slice(96, 160));
      expect(toHex(keys.refKey)).toBe(expanded.slice(160, 224));
    }
  });

  it('gives different keys per type (sticker = image)', () => {
    const cipherKeys = TYPES.map((type) => toHex(expandMediaKey(mediaKey, type).cipherKey));
    expect(new Set(cipherKeys).size).toBe(4);
    expect(expandMediaKey(mediaKey, 'sticker')).toEqual(expandMediaKey(mediaKey, 'image'));
  });

  it('rejects unknown types and bad keys', () => {
    for (const type of ['Image', 'gif', 'toString', '', 7]) {
      expectCryptoError(() => expandMediaKey(mediaKey, type as MediaType), InvalidInputError, 'INVALID_INPUT', [mediaKey]);
    }
    expectCryptoError(() => expandMediaKey(mediaKey.subarray(0, 16), 'image'), InvalidInputError, 'INVALID_INPUT');
  });
});

describe('encryptMedia / decryptMedia', () => {
  it('round-trips every type and a range of sizes, with consistent message fields', () => {
    for (const type of TYPES) {
      for (const length of [0, 1, 15, 16, 17, 1000, 70_000]) {
        const file = randomBytes(length);
        const media = encryptMedia(file, type);
        expect(media.mediaKey).toHaveLength(32);
        expect(media.fileLength).toBe(length);
        expect(media.blob.length).toBe((Math.floor(length / 16) + 1) * 16 + 10);
        expect(media.fileSha256).toEqual(sha256(file));
        expect(media.fileEncSha256).toEqual(sha256(media.blob));
        const expected = { fileSha256: media.fileSha256, fileEncSha256: media.fileEncSha256, fileLength: length };
        expect(decryptMedia(media.blob, media.mediaKey, type, expected)).toEqual(file);
      }
    }
  });

  it('lays out AES-CBC(cipherKey, iv, file) ‖ HMAC(macKey, iv ‖ ciphertext)[0:10]', () => {
    const file = randomBytes(45);
    const media = encryptMedia(file, 'document');
    const keys = expandMediaKey(media.mediaKey, 'document');
    const ciphertext = aesCbcEncrypt(keys.cipherKey, keys.iv, file);
    const macInput = new Uint8Array(16 + ciphertext.length);
    macInput.set(keys.iv, 0);
    macInput.set(ciphertext, 16);
    expect(toHex(media.blob)).toBe(toHex(ciphertext) + toHex(hmacSha256(keys.macKey, macInput)).slice(0, 20));
  });

  it('draws a fresh media key, or from an injected source', () => {
    const file = randomBytes(20);
    expect(toHex(encryptMedia(file, 'image').mediaKey)).not.toBe(toHex(encryptMedia(file, 'image').mediaKey));
    const a = encryptMedia(file, 'image', { randomBytes: seededRandom(3) });
    expect(toHex(a.mediaKey)).toBe(toHex(seededRandom(3)(32)));
    expect(toHex(encryptMedia(file, 'image', { randomBytes: seededRandom(3) }).blob)).toBe(toHex(a.blob));
  });

  it('copies the given media key', () => {
    const mediaKey = randomBytes(32);
    const media = encryptMedia(randomBytes(5), 'audio', { mediaKey });
    const copy = mediaKey.slice();
    mediaKey.fill(0);
    expect(media.mediaKey).toEqual(copy);
  });

  it('rejects every single-bit flip of a blob with MediaIntegrityError (mac)', () => {
    const vector = vectors.media[1]!;
    const blob = fromHex(vector.blob);
    const mediaKey = fromHex(vector.mediaKey);
    for (let bit = 0; bit < blob.length * 8; bit++) {
      const error = expectCryptoError(
        () => decryptMedia(flipBit(blob, bit), mediaKey, vector.type as MediaType),
        MediaIntegrityError,
        'MEDIA_INTEGRITY',
        [mediaKey],
      );
      expect(error.check).toBe('mac');
    }
  });

  it('checks fileEncSha256 before the MAC when given', () => {
    const media = encryptMedia(randomBytes(100), 'video');
    const tampered = flipBit(media.blob, 3);
    const error = expectCryptoError(
      () => decryptMedia(tampered, media.mediaKey, 'video', { fileEncSha256: media.fileEncSha256 }),
      MediaIntegrityError,
      'MEDIA_INTEGRITY',
    );
    expect(error.check).toBe('fileEncSha256');
  });

  it('reports expected hashes and lengths that do not match', () => {
    const media = encryptMedia(randomBytes(100), 'image');
    const cases: Array<[Parameters<typeof decryptMedia>[3], string]> = [
      [{ fileSha256: flipBit(media.fileSha256, 0) }, 'fileSha256'],
      [{ fileEncSha256: flipBit(media.fileEncSha256, 255) }, 'fileEncSha256'],
      [{ fileLength: 99 }, 'fileLength'],
    ];
    for (const [expected, check] of cases) {
      const error = expectCryptoError(() => decryptMedia(media.blob, media.mediaKey, 'image', expected), MediaIntegrityError, 'MEDIA_INTEGRITY');
      expect(error.check).toBe(check);
    }
  });

  it('rejects the wrong media key or type (MAC)', () => {
    const media = encryptMedia(randomBytes(30), 'audio');
    expect(expectCryptoError(() => decryptMedia(media.blob, randomBytes(32), 'audio'), MediaIntegrityError, 'MEDIA_INTEGRITY').check).toBe('mac');
    expect(expectCryptoError(() => decryptMedia(media.blob, media.mediaKey, 'video'), MediaIntegrityError, 'MEDIA_INTEGRITY').check).toBe('mac');
  });

  it('rejects blobs that cannot be ciphertext plus a 10-byte MAC with InvalidInputError', () => {
    const media = encryptMedia(randomBytes(30), 'audio');
    for (const length of [0, 10, 25, 27, media.blob.length - 1]) {
      expectCryptoError(() => decryptMedia(media.blob.subarray(0, length), media.mediaKey, 'audio'), InvalidInputError, 'INVALID_INPUT');
    }
  });

  it('rejects an authentic blob with malformed padding with PaddingError', () => {
    const mediaKey = randomBytes(32);
    const keys = expandMediaKey(mediaKey, 'image');
    const ciphertext = aesCbcEncrypt(keys.cipherKey, keys.iv, new Uint8Array(16)).subarray(0, 16);
    const macInput = new Uint8Array(32);
    macInput.set(keys.iv, 0);
    macInput.set(ciphertext, 16);
    const blob = new Uint8Array(26);
    blob.set(ciphertext, 0);
    blob.set(hmacSha256(keys.macKey, macInput).subarray(0, 10), 16);
    expectCryptoError(() => decryptMedia(blob, mediaKey, 'image'), PaddingError, 'BAD_PADDING', [mediaKey]);
  });

  it('rejects malformed arguments with InvalidInputError', () => {
    const media = encryptMedia(randomBytes(30), 'image');
    const bad: Array<() => unknown> = [
      () => encryptMedia('file' as unknown as Uint8Array, 'image'),
      () => encryptMedia(randomBytes(3), 'gif' as MediaType),
      () => encryptMedia(randomBytes(3), 'image', { mediaKey: randomBytes(31) }),
      () => encryptMedia(randomBytes(3), 'image', { mediaKey: 'k'.repeat(32) as unknown as Uint8Array }),
      () => encryptMedia(randomBytes(3), 'image', { randomBytes: (n) => new Uint8Array(n + 1) }),
      () => decryptMedia(media.blob, media.mediaKey, 'image', { fileSha256: randomBytes(31) }),
      () => decryptMedia(media.blob, media.mediaKey, 'image', { fileLength: -1 }),
      () => decryptMedia(media.blob, media.mediaKey.subarray(1), 'image'),
      () => decryptMedia(media.blob, media.mediaKey, 'pdf' as MediaType),
    ];
    for (const call of bad) expectCryptoError(call, InvalidInputError, 'INVALID_INPUT', [media.mediaKey]);
  });
});
