// encryptMediaAsync / decryptMediaAsync: the same results and the same typed errors as the
// synchronous calls. WebCrypto in Chromium, node:crypto in Node.
import vectors from '@vectors/crypto-known-answers.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  aesCbcEncrypt,
  CryptoError,
  decryptMedia,
  decryptMediaAsync,
  encryptMedia,
  encryptMediaAsync,
  expandMediaKey,
  fromHex,
  hmacSha256,
  InvalidInputError,
  MediaIntegrityError,
  PaddingError,
  randomBytes,
  toHex,
  type ExpectedMedia,
  type MediaType,
} from '../src/index.ts';
import { flipBit, seededRandom } from './helpers.ts';

/** Class name, code, check and message of what `fn` throws or rejects with. */
async function failure(fn: () => unknown): Promise<{ name: string; code: string; check?: string; message: string }> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CryptoError);
    const { name, code, message } = error as CryptoError;
    const check = (error as MediaIntegrityError).check;
    return check === undefined ? { name, code, message } : { name, code, check, message };
  }
  throw new Error('expected a failure');
}

/** Both calls fail with the same error: class, code, check and message. */
async function expectSameFailure(sync: () => unknown, async: () => Promise<unknown>, type: { name: string }): Promise<void> {
  const fromSync = await failure(sync);
  expect(await failure(async)).toEqual(fromSync);
  expect(fromSync.name).toBe(type.name);
}

describe('known answers through the async calls', () => {
  for (const [index, media] of vectors.media.entries()) {
    const type = media.type as MediaType;
    it(`media ${index} (${type}): encryptMediaAsync and decryptMediaAsync`, async () => {
      const result = await encryptMediaAsync(fromHex(media.file), type, { mediaKey: fromHex(media.mediaKey) });
      expect(toHex(result.mediaKey)).toBe(media.mediaKey);
      expect(toHex(result.blob)).toBe(media.blob);
      expect(toHex(result.fileSha256)).toBe(media.fileSha256);
      expect(toHex(result.fileEncSha256)).toBe(media.fileEncSha256);
      expect(result.fileLength).toBe(media.file.length / 2);
      const file = await decryptMediaAsync(fromHex(media.blob), fromHex(media.mediaKey), type, {
        fileSha256: fromHex(media.fileSha256),
        fileEncSha256: fromHex(media.fileEncSha256),
        fileLength: media.file.length / 2,
      });
      expect(toHex(file)).toBe(media.file);
    });
  }
});

describe('encryptMediaAsync / decryptMediaAsync', () => {
  it('equal the synchronous calls byte for byte, both ways, from 0 bytes to 1 MiB', async () => {
    for (const length of [0, 1, 15, 16, 17, 1000, 70_000, 1 << 20]) {
      const file = randomBytes(length);
      const mediaKey = randomBytes(32);
      const sync = encryptMedia(file, 'video', { mediaKey });
      const async = await encryptMediaAsync(file, 'video', { mediaKey });
      expect(toHex(async.blob)).toBe(toHex(sync.blob));
      expect(async.fileSha256).toEqual(sync.fileSha256);
      expect(async.fileEncSha256).toEqual(sync.fileEncSha256);
      expect(async.fileLength).toBe(length);
      const expected = { fileSha256: sync.fileSha256, fileEncSha256: sync.fileEncSha256, fileLength: length };
      expect(await decryptMediaAsync(sync.blob, mediaKey, 'video', expected)).toEqual(file);
      expect(decryptMedia(async.blob, mediaKey, 'video', expected)).toEqual(file);
    }
  });

  it('draws the media key from an injected source, like encryptMedia', async () => {
    const file = randomBytes(100);
    const a = await encryptMediaAsync(file, 'image', { randomBytes: seededRandom(9) });
    const b = encryptMedia(file, 'image', { randomBytes: seededRandom(9) });
    expect(a.mediaKey).toEqual(b.mediaKey);
    expect(a.blob).toEqual(b.blob);
  });

  it('returns a blob whose buffer holds nothing else but zeros', async () => {
    const media = await encryptMediaAsync(randomBytes(100), 'image');
    const whole = new Uint8Array(media.blob.buffer);
    const outside = [...whole.subarray(0, media.blob.byteOffset), ...whole.subarray(media.blob.byteOffset + media.blob.length)];
    expect(outside.every((byte) => byte === 0)).toBe(true);
  });

  it('fail with the same errors as the synchronous calls', async () => {
    const file = randomBytes(200);
    const media = encryptMedia(file, 'document');
    const { mediaKey, blob } = media;
    const decrypt = (bytes: Uint8Array, expected?: ExpectedMedia, type: MediaType = 'document', key = mediaKey) =>
      [() => decryptMedia(bytes, key, type, expected), () => decryptMediaAsync(bytes, key, type, expected)] as const;
    // The MAC: every bit of the ciphertext's first and last block and of the MAC itself.
    for (const bit of [0, 7, 127, (blob.length - 26) * 8, (blob.length - 10) * 8, blob.length * 8 - 1]) {
      await expectSameFailure(...decrypt(flipBit(blob, bit)), MediaIntegrityError);
    }
    await expectSameFailure(...decrypt(blob, {}, 'image'), MediaIntegrityError);
    await expectSameFailure(...decrypt(blob, { fileEncSha256: new Uint8Array(32) }), MediaIntegrityError);
    await expectSameFailure(...decrypt(blob, { fileSha256: new Uint8Array(32) }), MediaIntegrityError);
    await expectSameFailure(...decrypt(blob, { fileLength: 199 }), MediaIntegrityError);
    // Bad lengths and arguments.
    for (const length of [0, 10, 25, 27, blob.length - 1]) await expectSameFailure(...decrypt(blob.subarray(0, length)), InvalidInputError);
    await expectSameFailure(...decrypt(blob, {}, 'gif' as MediaType), InvalidInputError);
    await expectSameFailure(...decrypt(blob, {}, 'image', mediaKey.subarray(1)), InvalidInputError);
    await expectSameFailure(...decrypt(blob, { fileSha256: new Uint8Array(31) }), InvalidInputError);
    await expectSameFailure(...decrypt(blob, { fileLength: -1 }), InvalidInputError);
    await expectSameFailure(...decrypt('blob' as unknown as Uint8Array), InvalidInputError);
    await expectSameFailure(() => encryptMedia(file, 'gif' as MediaType), () => encryptMediaAsync(file, 'gif' as MediaType), InvalidInputError);
    await expectSameFailure(
      () => encryptMedia(file, 'image', { mediaKey: new Uint8Array(16) }),
      () => encryptMediaAsync(file, 'image', { mediaKey: new Uint8Array(16) }),
      InvalidInputError,
    );
  });

  it('rejects an authentic blob with malformed padding with PaddingError, like decryptMedia', async () => {
    const mediaKey = randomBytes(32);
    const keys = expandMediaKey(mediaKey, 'audio');
    for (const lastBlock of [new Uint8Array(16), new Uint8Array(16).fill(17), fromHex('0102030405060708090a0b0c0d0e0f03')]) {
      // Encrypting 32 bytes gives 3 blocks; the first 2 decrypt to the given bytes with no padding.
      const plaintext = new Uint8Array(32);
      plaintext.set(lastBlock, 16);
      const ciphertext = aesCbcEncrypt(keys.cipherKey, keys.iv, plaintext).subarray(0, 32);
      const mac = hmacSha256(keys.macKey, new Uint8Array([...keys.iv, ...ciphertext])).subarray(0, 10);
      const blob = new Uint8Array([...ciphertext, ...mac]);
      await expectSameFailure(() => decryptMedia(blob, mediaKey, 'audio'), () => decryptMediaAsync(blob, mediaKey, 'audio'), PaddingError);
    }
  });
});
