/**
 * The `["Conn",{…}]` push that ends every login: after a QR scan it carries the secret the
 * session keys are derived from; every `Conn` carries rotated tokens (saved at once) and who is
 * logged in. The first one of a login opens the session.
 * @module
 */
import { deriveSessionKeys, fromBase64, toBase64 } from '@wa/crypto';
import type { ClientContext } from '../context.js';
import type { Credentials } from '../credentials.js';
import { LoginError } from '../errors.js';
import { armInitialSync } from '../initial-sync.js';
import { toChatJid } from '../jid.js';
import { onPushnameConn } from '../profile.js';
import { isRecord, type JsonRecord } from '../replies.js';
import type { OpenInfo } from '../types.js';
import { releaseQueuedSends } from '../send-queue.js';
import { failLogin } from './pending-login.js';
import { saveCredentials } from './saved-credentials.js';

/**
 * Handles a `Conn`: derives the keys from its secret (QR login), saves new credentials, updates
 * `me`, and finishes the pending login (state `open`, keep-alive, `open` event).
 * @example
 * ```ts
 * if (kind === 'Conn' && isRecord(body)) onConn(context, body);
 * ```
 */
export function onConn(context: ClientContext, conn: JsonRecord): void {
  // Another session renamed the account: only `me.pushname` changes (profile.ts).
  if (onPushnameConn(context, conn)) return;
  const login = context.login;
  if (typeof conn.secret === 'string') {
    if (!login?.keyPair) {
      context.logger.warn('ignored a Conn with a secret nobody asked for');
      return;
    }
    try {
      context.keys = deriveSessionKeys({ secret: fromBase64(conn.secret), privateKey: login.keyPair.privateKey });
    } catch (cause) {
      failLogin(context, new LoginError('SECRET_MISMATCH', 'the Conn secret failed its check; login aborted', { cause }));
      return;
    }
  }
  const keys = context.keys;
  if (!keys) return;
  const wid = typeof conn.wid === 'string' ? toChatJid(conn.wid) : context.credentials?.wid;
  if (wid === undefined) return;
  if (typeof conn.clientToken === 'string' && typeof conn.serverToken === 'string') {
    const credentials: Credentials = {
      clientId: login?.clientId ?? context.credentials?.clientId ?? '',
      clientToken: conn.clientToken,
      serverToken: conn.serverToken,
      encKey: toBase64(keys.encKey),
      macKey: toBase64(keys.macKey),
      wid,
      browser: [...context.browser],
    };
    if (typeof conn.browserToken === 'string') credentials.browserToken = conn.browserToken;
    context.credentials = credentials;
    saveCredentials(context, credentials);
  }
  const me: OpenInfo = { wid, via: login?.via ?? context.me?.via ?? 'restore', challenged: login?.challenged ?? false };
  if (typeof conn.pushname === 'string') me.pushname = conn.pushname;
  if (typeof conn.platform === 'string') me.platform = conn.platform;
  if (typeof conn.battery === 'number') me.battery = conn.battery;
  if (typeof conn.plugged === 'boolean') me.plugged = conn.plugged;
  if (isRecord(conn.phone)) me.phone = { ...conn.phone };
  context.me = me;
  if (!login || login.settled) return;
  // Logged in: from here sealed frames flow. Done synchronously so the pushes right behind the
  // Conn find the client open.
  context.login = undefined;
  context.state = 'open';
  context.connection.startKeepAlive();
  context.reconnectPolicy?.reset();
  context.resume = undefined;
  armInitialSync(context);
  context.logger.info('logged in', { wid, via: me.via, challenged: me.challenged });
  login.resolve();
  // The queued messages go out in continuations, after this handler (and the `open` listeners) ran.
  releaseQueuedSends(context);
  context.emit('open', { ...me });
}
