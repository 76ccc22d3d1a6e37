/**
 * Automatic reconnects (the `reconnect` option): after a dropped socket or a dead keep-alive,
 * open a new socket and restore with `admin login … reconnect`, backing off between attempts.
 * @module
 */
import { markClosed, report, type ClientContext } from './context.js';
import { LoginError } from './errors.js';
import { logIn } from './login/log-in.js';

/**
 * Schedules the next attempt after the policy's delay, or closes for good when it gives up.
 * @param code - the close code of the lost connection, reported if the client gives up.
 * @example
 * ```ts
 * context.state = 'reconnecting';
 * scheduleReconnect(context, info.code);
 * ```
 */
export function scheduleReconnect(context: ClientContext, code: number): void {
  const delay = context.reconnectPolicy?.next();
  if (delay === undefined) {
    markClosed(context, 'connection-lost', code);
    return;
  }
  context.timers.set('reconnect', delay, () => void reconnect(context, code));
}

async function reconnect(context: ClientContext, code: number): Promise<void> {
  const credentials = context.credentials;
  if (context.closedByUser || !credentials) return;
  context.logger.info('reconnecting');
  context.state = 'connecting';
  try {
    await context.connection.open();
    await logIn(context, credentials, 'reconnect');
  } catch (error) {
    if (context.connection.state === 'open') await context.connection.close();
    if (context.closedByUser) return;
    context.state = 'reconnecting';
    // A refused login will be refused again: stop instead of retrying.
    if (error instanceof LoginError) {
      report(context, error);
      markClosed(context, 'connection-lost', code);
    } else {
      scheduleReconnect(context, code);
    }
  }
}
