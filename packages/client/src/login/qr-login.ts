/**
 * Logging in by QR code: show `ref,publicKey,clientId`, refresh the ref with `admin Conn reref`
 * when it expires, and wait for the phone's scan (the `Conn` with the secret, see `conn.ts`).
 * @module
 */
import { generateKeyPair, toBase64 } from '@wa/crypto';
import type { ClientContext } from '../context.js';
import { LoginError } from '../errors.js';
import { isRecord, statusOf, type JsonRecord } from '../replies.js';
import { MAX_TIMER_MS } from '../timers.js';
import { loginRequest } from './login-request.js';
import { expectLogin, failLogin } from './pending-login.js';

/**
 * The ref lifetime when the server names none, or one too long for a timer (it would fire at
 * once: a reref storm): what the real server gave.
 */
const DEFAULT_REF_TTL_MS = 20_000;
/** After a 304 (the ref is still valid on the server's clock): ask again this much later. */
const REREF_RETRY_MS = 1_000;

/**
 * Shows QR codes (`qr` events) from the ref of `admin init` on, refreshing them as they expire,
 * until the phone scans one or the login fails.
 * @throws LoginError (`INIT_FAILED`, `QR_REFS_EXHAUSTED`, `SECRET_MISMATCH` …), and whatever ends the login.
 * @example
 * ```ts
 * await qrLogin(context, clientId, init);
 * ```
 */
export async function qrLogin(context: ClientContext, clientId: string, init: JsonRecord): Promise<void> {
  const keyPair = generateKeyPair();
  const done = expectLogin(context, { via: 'qr', clientId, keyPair });
  const publicKey = toBase64(keyPair.publicKey);
  let attempt = 0;
  const show = (ref: string, ttl: number): void => {
    context.logger.info('showing a QR code', { attempt, ttlMs: ttl });
    context.emit('qr', { qr: `${ref},${publicKey},${clientId}`, ttlMs: ttl, attempt });
    attempt += 1;
    refreshAfter(ttl);
  };
  const refreshAfter = (ms: number): void => context.timers.set('qr-refresh', ms, () => void refresh());
  const refresh = async (): Promise<void> => {
    if (context.login?.settled !== false) return;
    try {
      const reply = await loginRequest(context, ['admin', 'Conn', 'reref'], 'UNEXPECTED_STATUS');
      if (context.login?.settled !== false) return;
      const status = statusOf(reply);
      if (status === 200 && isRecord(reply) && typeof reply.ref === 'string') show(reply.ref, ttlOf(reply));
      else if (status === 304) refreshAfter(REREF_RETRY_MS);
      else failLogin(context, LoginError.fromStatus(status ?? 0));
    } catch (error) {
      failLogin(context, error);
    }
  };
  if (typeof init.ref !== 'string') throw new LoginError('INIT_FAILED', 'admin init answered without a ref');
  show(init.ref, ttlOf(init));
  try {
    await done;
  } finally {
    context.timers.clear('qr-refresh');
  }
}

function ttlOf(reply: JsonRecord): number {
  return typeof reply.ttl === 'number' && reply.ttl > 0 && reply.ttl <= MAX_TIMER_MS ? reply.ttl : DEFAULT_REF_TTL_MS;
}
