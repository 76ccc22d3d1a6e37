/**
 * Opening the sealed binary frames of a logged-in session: HMAC check, AES-CBC decryption, then
 * the binary node. Shared by pushes and by the answers to sealed requests.
 * @module
 */
import { decode, type Node } from '@wa/binary-codec';
import { FrameAuthError, openFrame } from '@wa/crypto';
import { report, type ClientContext } from './context.js';
import { FrameError } from './errors.js';
import { keyFailure, keysWork } from './key-check.js';

/**
 * The node inside a sealed frame, or `undefined` (reported as a `frame-error`) when it cannot be
 * read: a frame that fails costs that frame only, the session goes on, except when the first
 * sealed frames of a restored session all fail (wrong stored keys, see `key-check.ts`).
 * @example
 * ```ts
 * const node = openNode(context, frame.tag, frame.payload);
 * ```
 */
export function openNode(context: ClientContext, tag: string, payload: Uint8Array): Node | undefined {
  // The session is ending because its keys open nothing: the frames still in flight are not news.
  if (context.sessionError) return undefined;
  const keys = context.keys;
  if (!keys) {
    report(context, new FrameError('NO_KEYS', 'a sealed frame arrived before the session keys', tag));
    return undefined;
  }
  let plain: Uint8Array;
  try {
    plain = openFrame(keys, payload);
  } catch (cause) {
    const code = cause instanceof FrameAuthError ? 'BAD_HMAC' : 'UNDECRYPTABLE';
    const message = code === 'BAD_HMAC' ? 'a sealed frame failed its HMAC check; skipped' : 'a sealed frame did not decrypt; skipped';
    report(context, new FrameError(code, message, tag, { cause }));
    keyFailure(context, code);
    return undefined;
  }
  let node: Node;
  try {
    node = decode(plain);
  } catch (cause) {
    report(context, new FrameError('UNDECODABLE', 'a decrypted frame is not a binary node; skipped', tag, { cause }));
    keyFailure(context, 'UNDECODABLE');
    return undefined;
  }
  keysWork(context);
  return node;
}
