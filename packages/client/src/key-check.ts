/**
 * Telling wrong stored keys from a bad frame. A restore trusts the `encKey`/`macKey` of the auth
 * store, and the server has no way to say they are wrong: it accepts the tokens, sends the
 * `Conn`, then every sealed frame fails to open. One bad frame costs one frame (the session goes
 * on), but when the first sealed frames of a restored session all fail and none opens, the keys
 * are wrong: the session ends with a {@link LoginError} `BAD_KEYS` and the useless credentials
 * are cleared, instead of an open session that can read nothing (an empty chat list).
 * @module
 */
import { report, type ClientContext } from './context.js';
import { LoginError, type FrameErrorCode } from './errors.js';
import { clearSavedCredentials } from './login/saved-credentials.js';

/**
 * How many sealed frames in a row, with none opened before them, prove the stored keys wrong.
 * A server pushes three right behind a restore's `Conn` (chat list, contacts, recent messages).
 */
export const BAD_KEYS_AFTER_FRAMES = 3;

/** The failures that wrong keys cause: a wrong `macKey` fails the HMAC, a wrong `encKey` the decryption or the decoding. */
const KEY_FAILURES: ReadonlySet<FrameErrorCode> = /* @__PURE__ */ new Set<FrameErrorCode>(['BAD_HMAC', 'UNDECRYPTABLE', 'UNDECODABLE']);

/**
 * Starts checking the stored keys of a restore: until a sealed frame opens, failures are counted.
 * @example
 * ```ts
 * armKeyCheck(context); // a restore put the stored keys in place
 * ```
 */
export function armKeyCheck(context: ClientContext): void {
  context.keyCheck = { failures: 0 };
}

/**
 * A sealed frame opened: the keys are right, nothing more to check for this session.
 * @example
 * ```ts
 * keysWork(context);
 * ```
 */
export function keysWork(context: ClientContext): void {
  context.keyCheck = undefined;
}

/**
 * Counts a sealed frame that failed to open; after {@link BAD_KEYS_AFTER_FRAMES} of them with
 * none opened, ends the session with `BAD_KEYS` (reported on `error`, then `close` with reason
 * `login-refused`) and clears the auth store.
 * @example
 * ```ts
 * keyFailure(context, 'BAD_HMAC');
 * ```
 */
export function keyFailure(context: ClientContext, code: FrameErrorCode): void {
  const check = context.keyCheck;
  if (!check || !KEY_FAILURES.has(code)) return;
  check.failures += 1;
  if (check.failures < BAD_KEYS_AFTER_FRAMES) return;
  context.keyCheck = undefined;
  const error = new LoginError(
    'BAD_KEYS',
    `the stored session keys are wrong: the first ${check.failures} sealed frames of the restored session did not open; the credentials were cleared, log in again with a QR code`,
    { credentialsCleared: true },
  );
  context.sessionError = error;
  // No reconnect and no restore with these credentials again: they can never read a frame.
  context.credentials = undefined;
  context.logger.warn('the stored keys do not open the server\'s frames: ending the session', { failures: check.failures });
  report(context, error);
  // Closed once the store is cleared, so whoever handles `close` finds it empty.
  void clearSavedCredentials(context).then(() => context.connection.close());
}
