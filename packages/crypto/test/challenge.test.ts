import { describe, expect, it } from 'vitest';
import { fromBase64, hmacSha256, InvalidInputError, randomBytes, signChallenge, toBase64 } from '../src/index.ts';
import { expectCryptoError } from './helpers.ts';

describe('signChallenge', () => {
  it('answers HMAC-SHA256(macKey, challenge), independent of other keys', () => {
    const macKey = randomBytes(32);
    const challenge = randomBytes(32);
    const answer = signChallenge(macKey, challenge);
    expect(answer).toEqual(hmacSha256(macKey, challenge));
    expect(toBase64(answer)).not.toBe(toBase64(signChallenge(randomBytes(32), challenge)));
    expect(fromBase64(toBase64(answer))).toEqual(answer);
  });

  it('rejects a macKey that is not 32 bytes, without echoing it', () => {
    const shortKey = randomBytes(16);
    expectCryptoError(() => signChallenge(shortKey, randomBytes(32)), InvalidInputError, 'INVALID_INPUT', [shortKey]);
    expectCryptoError(() => signChallenge(randomBytes(32), 'abc' as unknown as Uint8Array), InvalidInputError, 'INVALID_INPUT');
  });
});
