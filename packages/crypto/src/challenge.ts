import { assertBytes } from './assert.js';
import { hmacSha256 } from './hash.js';

/**
 * Answers the server's restore challenge `["Cmd",{"type":"challenge","challenge":b64}]`:
 * `HMAC-SHA256(macKey, challengeBytes)`, proving the client still holds the session keys.
 * @param macKey - the session's 32-byte MAC key
 * @param challenge - the Base64-decoded challenge
 * @returns the 32-byte answer, sent Base64-encoded in `["admin","challenge",answer,serverToken,clientId]`
 * @example
 * ```ts
 * const answer = toBase64(signChallenge(keys.macKey, fromBase64(cmd.challenge)));
 * send(tag, ['admin', 'challenge', answer, serverToken, clientId]);
 * ```
 */
export function signChallenge(macKey: Uint8Array, challenge: Uint8Array): Uint8Array {
  assertBytes(macKey, 'macKey', 32);
  assertBytes(challenge, 'challenge');
  return hmacSha256(macKey, challenge);
}
