/**
 * Automatic reconnects (the `reconnect` option): after a dropped socket or a dead keep-alive,
 * open a new socket and restore with `admin login … reconnect`, backing off between attempts.
 * Only a real refusal ends the run; timeouts, network errors and a 409 (the server still holds
 * the old, half-open socket: the next attempt takes the session over) are retried.
 * @module
 */
import { markClosed, report, type ClientContext } from './context.js';
import { LoginError, type LoginErrorCode } from './errors.js';
import { logIn } from './login/log-in.js';

/**
 * The refusals a new attempt would get again: the session is gone (401, 419, a refused
 * challenge) or this account is barred (403).
 */
const REFUSALS: ReadonlySet<LoginErrorCode> = /* @__PURE__ */ new Set<LoginErrorCode>(['UNPAIRED', 'ACCESS_DENIED', 'SESSION_EXPIRED', 'CHALLENGE_FAILED']);

/**
 * Whether a failed reconnect attempt ends the run of reconnects.
 * @example
 * ```ts
 * isRefusal(LoginError.fromStatus(419)); // true
 * isRefusal(LoginError.fromStatus(409)); // false: retried with takeover
 * ```
 */
export function isRefusal(error: unknown): error is LoginError {
  return error instanceof LoginError && REFUSALS.has(error.code);
}

/**
 * Starts a run of reconnects after the connection was lost: state `reconnecting`, the first
 * attempt after the policy's delay.
 * @param code - the close code of the lost connection, reported if the client gives up.
 * @example
 * ```ts
 * startReconnecting(context, info.code);
 * ```
 */
export function startReconnecting(context: ClientContext, code: number): void {
  context.state = 'reconnecting';
  context.resume = { code, mode: 'reconnect', attempts: 0 };
  scheduleReconnect(context, undefined);
}

/** Schedules the next attempt after the policy's delay, or gives up when its attempts are used up. */
function scheduleReconnect(context: ClientContext, lastError: Error | undefined): void {
  const resume = context.resume;
  if (!resume) return;
  const delay = context.reconnectPolicy?.next();
  if (delay === undefined) {
    context.logger.warn('reconnect attempts used up', { attempts: resume.attempts });
    markClosed(context, 'reconnect-failed', resume.code, lastError);
    return;
  }
  const event = { attempt: resume.attempts + 1, delayMs: delay, mode: resume.mode };
  context.emit('reconnecting', lastError === undefined ? event : { ...event, error: lastError });
  context.timers.set('reconnect', delay, () => void attempt(context));
}

async function attempt(context: ClientContext): Promise<void> {
  const resume = context.resume;
  if (context.closedByUser || !resume) return;
  const credentials = context.credentials;
  if (!credentials) {
    markClosed(context, 'reconnect-failed', resume.code);
    return;
  }
  resume.attempts += 1;
  context.logger.info('reconnecting', { attempt: resume.attempts, mode: resume.mode });
  context.state = 'connecting';
  try {
    await context.connection.open();
    await logIn(context, credentials, resume.mode);
    // The Conn opened the session (login/conn.ts): the run is over, queued sends are out.
  } catch (error) {
    // Not awaited: a half-open socket would hold the next attempt up for the closing handshake.
    if (context.connection.state === 'open' || context.connection.state === 'connecting') void context.connection.close();
    if (context.closedByUser || context.resume !== resume) return;
    context.state = 'reconnecting';
    const serverReason = context.serverReason;
    if (serverReason === 'replaced' || serverReason === 'unpaired') {
      // Another web client took the session over, or the phone ended it, during the attempt.
      markClosed(context, serverReason, resume.code);
      return;
    }
    const failure = error instanceof Error ? error : new Error(String(error));
    if (isRefusal(failure)) {
      context.logger.warn('reconnect refused: giving up', { code: failure.code, status: failure.status });
      report(context, failure);
      markClosed(context, 'login-refused', resume.code, failure);
      return;
    }
    if (failure instanceof LoginError && failure.code === 'LOGGED_IN_ELSEWHERE') {
      // The server still holds the socket this client lost (half-open): take the session over.
      resume.mode = 'takeover';
    }
    context.logger.info('reconnect attempt failed: retrying', { message: failure.message, next: resume.mode });
    scheduleReconnect(context, failure);
  }
}
