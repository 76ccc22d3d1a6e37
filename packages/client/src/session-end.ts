/**
 * How a session ends: the server's `["Cmd",{"type":"disconnect"}]` (taken over by another web
 * client, or unpaired by the phone), and the socket's close, which becomes `disconnected` and
 * `close` events or an automatic reconnect.
 * @module
 */
import type { CloseInfo } from '@wa/transport';
import { markClosed, type ClientContext } from './context.js';
import { ClientClosedError, DisconnectedError } from './errors.js';
import { failLogin } from './login/pending-login.js';
import { clearSavedCredentials } from './login/saved-credentials.js';
import { startReconnecting } from './reconnect.js';
import type { DisconnectReason } from './types.js';

/**
 * How long the server has to close the socket itself after `Cmd disconnect`. It normally closes
 * right behind the command; the grace lets frames still in flight arrive first.
 */
const DISCONNECT_GRACE_MS = 1_000;

/**
 * Handles `["Cmd",{"type":"disconnect"[,"kind":"replaced"]}]`: remembers the reason the close
 * will report, clears the credentials of an unpaired session, and closes the socket after a
 * grace period unless the server has closed it by then.
 * @example
 * ```ts
 * if (cmd.type === 'disconnect') onServerDisconnect(context, cmd.kind);
 * ```
 */
export function onServerDisconnect(context: ClientContext, kind: unknown): void {
  const reason: DisconnectReason = kind === 'replaced' ? 'replaced' : 'unpaired';
  context.serverReason = reason;
  context.logger.info('the server ends the session', { reason });
  if (reason === 'unpaired') {
    context.credentials = undefined;
    void clearSavedCredentials(context);
  }
  // The session is over either way; a server that keeps the socket open must not keep the
  // client in a session that can no longer do anything.
  context.timers.set('disconnect-grace', DISCONNECT_GRACE_MS, () => {
    context.logger.info('the server did not close after Cmd disconnect; closing');
    void context.connection.close();
  });
}

/**
 * Handles the connection's `close`: fails a pending login, then reports `disconnected` and
 * reconnects or closes (`close` event), depending on the reason and the `reconnect` option.
 * @example
 * ```ts
 * connection.on('close', (info) => onConnectionClose(context, info));
 * ```
 */
export function onConnectionClose(context: ClientContext, info: CloseInfo): void {
  context.timers.clear('qr-refresh', 'initial-sync', 'disconnect-grace');
  const sessionError = context.closedByUser ? undefined : context.sessionError;
  const reason: DisconnectReason = context.closedByUser
    ? context.localReason
    : sessionError
      ? 'login-refused'
      : (context.serverReason ?? (info.error?.code === 'KEEPALIVE_TIMEOUT' ? 'keep-alive-timeout' : 'connection-lost'));
  failLogin(context, context.closedByUser ? new ClientClosedError() : (sessionError ?? new DisconnectedError(info.code, `the connection closed (${reason}, code ${info.code})`)));
  if (context.state !== 'open') return;
  const reconnecting =
    !context.closedByUser && context.reconnectPolicy !== undefined && context.credentials !== undefined && (reason === 'connection-lost' || reason === 'keep-alive-timeout');
  context.logger.info('disconnected', { reason, code: info.code, reconnecting });
  if (!context.closedByUser) context.emit('disconnected', { reason, code: info.code, reconnecting });
  if (reconnecting) {
    startReconnecting(context, info.code);
  } else {
    markClosed(context, reason, info.code, sessionError);
  }
}
