// Known answers from shared/vectors/crypto-known-answers.json, computed by an independent
// implementation. Runs in Node and in Chromium.
import vectors from '@vectors/crypto-known-answers.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import {
  decryptMedia,
  deriveSessionKeys,
  encryptMedia,
  fromBase64,
  fromHex,
  keyPairFromPrivateKey,
  openFrame,
  sealFrame,
  signChallenge,
  toBase64,
  toHex,
  type MediaType,
} from '../src/index.ts';

describe('known answers: sessions', () => {
  it('has vectors', () => expect(vectors.sessions.length).toBeGreaterThan(0));

  for (const [index, session] of vectors.sessions.entries()) {
    it(`session ${index}: Conn.secret → encKey, macKey`, () => {
      const secret = fromBase64(session.secretBase64);
      expect(toHex(secret)).toBe(session.secret);
      const privateKey = fromHex(session.clientPrivateKey);
      expect(toHex(keyPairFromPrivateKey(privateKey).publicKey)).toBe(session.clientPublicKey);
      const keys = deriveSessionKeys({ secret, privateKey });
      expect(toHex(keys.encKey)).toBe(session.encKey);
      expect(toHex(keys.macKey)).toBe(session.macKey);
    });
  }
});

describe('known answers: frames', () => {
  it('has vectors', () => expect(vectors.frames.length).toBeGreaterThan(0));

  for (const [index, frame] of vectors.frames.entries()) {
    const keys = { encKey: fromHex(frame.encKey), macKey: fromHex(frame.macKey) };
    it(`frame ${index}: seal with the given IV gives the sealed bytes`, () => {
      expect(toHex(sealFrame(keys, fromHex(frame.plaintext), { iv: fromHex(frame.iv) }))).toBe(frame.sealed);
    });
    it(`frame ${index}: open gives the plaintext`, () => {
      expect(toHex(openFrame(keys, fromHex(frame.sealed)))).toBe(frame.plaintext);
    });
  }
});

describe('known answers: challenges', () => {
  it('has vectors', () => expect(vectors.challenges.length).toBeGreaterThan(0));

  for (const [index, challenge] of vectors.challenges.entries()) {
    it(`challenge ${index}`, () => {
      const answer = signChallenge(fromHex(challenge.macKey), fromBase64(challenge.challengeBase64));
      expect(toBase64(answer)).toBe(challenge.answerBase64);
    });
  }
});

describe('known answers: media', () => {
  it('covers image, video, audio and document', () => {
    expect(new Set(vectors.media.map((media) => media.type))).toEqual(new Set(['image', 'video', 'audio', 'document']));
  });

  for (const [index, media] of vectors.media.entries()) {
    const type = media.type as MediaType;
    it(`media ${index} (${type}): encrypt with the given key`, () => {
      const result = encryptMedia(fromHex(media.file), type, { mediaKey: fromHex(media.mediaKey) });
      expect(toHex(result.mediaKey)).toBe(media.mediaKey);
      expect(toHex(result.blob)).toBe(media.blob);
      expect(toHex(result.fileSha256)).toBe(media.fileSha256);
      expect(toHex(result.fileEncSha256)).toBe(media.fileEncSha256);
      expect(result.fileLength).toBe(media.file.length / 2);
    });
    it(`media ${index} (${type}): decrypt and verify both hashes`, () => {
      const file = decryptMedia(fromHex(media.blob), fromHex(media.mediaKey), type, {
        fileSha256: fromHex(media.fileSha256),
        fileEncSha256: fromHex(media.fileEncSha256),
        fileLength: media.file.length / 2,
      });
      expect(toHex(file)).toBe(media.file);
    });
  }

  it('stickers use the image keys: image vectors decrypt as stickers', () => {
    const images = vectors.media.filter((media) => media.type === 'image');
    expect(images.length).toBeGreaterThan(0);
    for (const media of images) {
      expect(toHex(decryptMedia(fromHex(media.blob), fromHex(media.mediaKey), 'sticker'))).toBe(media.file);
    }
  });
});
