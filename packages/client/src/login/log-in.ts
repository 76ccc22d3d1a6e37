/**
 * One login on an open socket: `admin init`, then a restore when there are stored credentials,
 * else a QR login.
 * @module
 */
import { randomBytes, toBase64 } from '@wa/crypto';
import type { ClientContext } from '../context.js';
import type { Credentials } from '../credentials.js';
import { LoginError } from '../errors.js';
import { statusOf, type JsonRecord } from '../replies.js';
import { loginRequest } from './login-request.js';
import { qrLogin } from './qr-login.js';
import { restore } from './restore.js';

/**
 * Logs in on the open connection; resolves once the `Conn` arrived.
 * @throws LoginError (see its codes), and whatever ends the login.
 * @example
 * ```ts
 * await context.connection.open();
 * await logIn(context, stored, 'takeover');
 * ```
 */
export async function logIn(context: ClientContext, stored: Credentials | undefined, mode: 'takeover' | 'reconnect'): Promise<void> {
  context.serverReason = undefined;
  context.challengeTag = undefined;
  context.epoch = 0;
  context.keyCheck = undefined;
  context.sessionError = undefined;
  const clientId = stored?.clientId ?? toBase64(randomBytes(16));
  const init = await loginRequest(context, ['admin', 'init', context.version, context.browser, clientId, true], 'INIT_FAILED');
  const status = statusOf(init);
  if (status !== 200) throw new LoginError('INIT_FAILED', `admin init refused with status ${status}`, { status });
  if (stored) await restore(context, stored, mode);
  else await qrLogin(context, clientId, init as JsonRecord);
}
