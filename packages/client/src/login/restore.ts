/**
 * Restoring a session from stored credentials: `admin login` (takeover, or reconnect with the
 * wid), the challenge the server may ask first, and the refusals that end in a
 * {@link LoginError} (FACTS.md "Restore (remember me)").
 * @module
 */
import { fromBase64, signChallenge, toBase64 } from '@wa/crypto';
import { serializeJson } from '@wa/transport';
import type { ClientContext } from '../context.js';
import type { Credentials } from '../credentials.js';
import { DisconnectedError, LoginError } from '../errors.js';
import { armKeyCheck } from '../key-check.js';
import { isRecord, statusOf } from '../replies.js';
import { loginRequest } from './login-request.js';
import { expectLogin, failLogin } from './pending-login.js';
import { clearSavedCredentials } from './saved-credentials.js';

/**
 * Logs in with `stored` and waits for the `Conn`, within the client's `requestTimeoutMs`.
 * Credentials the server no longer knows (401, 419) are cleared from the auth store.
 * @throws LoginError (from the status of `admin login`, `CHALLENGE_FAILED`, `LOGIN_TIMEOUT`), and whatever ends the login.
 * @example
 * ```ts
 * await restore(context, stored, 'takeover');
 * ```
 */
export async function restore(context: ClientContext, stored: Credentials, mode: 'takeover' | 'reconnect'): Promise<void> {
  context.credentials = stored;
  // Pushes after the Conn are sealed with these keys: they must be in place before asking.
  context.keys = { encKey: fromBase64(stored.encKey), macKey: fromBase64(stored.macKey) };
  // Nothing proves these keys yet: the first sealed frames will (key-check.ts).
  armKeyCheck(context);
  const done = expectLogin(context, { via: 'restore', clientId: stored.clientId });
  const args: unknown[] = ['admin', 'login', stored.clientToken, stored.serverToken, stored.clientId, mode];
  if (mode === 'reconnect') args.push(stored.wid);
  const reply = await loginRequest(context, args, 'UNEXPECTED_STATUS');
  const status = statusOf(reply);
  if (status !== 200) {
    const useless = status === 401 || status === 419;
    if (useless) void clearSavedCredentials(context);
    const tos = isRecord(reply) && typeof reply.tos === 'number' ? reply.tos : undefined;
    failLogin(context, LoginError.fromStatus(status ?? 0, { ...(tos !== undefined && { tos }), credentialsCleared: useless }));
  }
  const timer = setTimeout(
    () => failLogin(context, new LoginError('LOGIN_TIMEOUT', `no Conn within ${context.requestTimeoutMs} ms of admin login`)),
    context.requestTimeoutMs,
  );
  try {
    await done;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Answers `["Cmd",{"type":"challenge"}]` during a restore with the challenge signed by the MAC
 * key; ignored outside one.
 * @example
 * ```ts
 * answerChallenge(context, cmd.challenge);
 * ```
 */
export function answerChallenge(context: ClientContext, challenge: string): void {
  const { login, credentials, keys } = context;
  if (!login || login.settled || login.via !== 'restore' || !credentials || !keys) {
    context.logger.warn('ignored a challenge outside a restore');
    return;
  }
  login.challenged = true;
  context.logger.info('answering the restore challenge');
  let answer: string;
  try {
    answer = toBase64(signChallenge(keys.macKey, fromBase64(challenge)));
  } catch (cause) {
    failLogin(context, new LoginError('CHALLENGE_FAILED', 'the challenge is not Base64', { cause }));
    return;
  }
  // Sent without a pending request so the answer arrives as a frame and is handled at once: a
  // refusing server closes right behind its answer, and the refusal must win over the close.
  const tag = context.connection.nextTag();
  context.challengeTag = tag;
  try {
    context.connection.send(serializeJson(tag, ['admin', 'challenge', answer, credentials.serverToken, credentials.clientId]));
  } catch (cause) {
    failLogin(context, new DisconnectedError(1006, 'could not send the challenge answer', { cause }));
  }
}

/**
 * Handles the server's answer to the challenge (the frame under `context.challengeTag`): a
 * refusal clears the credentials and fails the login with `CHALLENGE_FAILED`.
 * @example
 * ```ts
 * if (frame.tag === context.challengeTag) onChallengeAnswer(context, frame.json);
 * ```
 */
export function onChallengeAnswer(context: ClientContext, json: unknown): void {
  context.challengeTag = undefined;
  const status = statusOf(json);
  if (status === 200) return;
  void clearSavedCredentials(context);
  failLogin(context, new LoginError('CHALLENGE_FAILED', `the challenge answer was refused with status ${status}`, { status, credentialsCleared: true }));
}
