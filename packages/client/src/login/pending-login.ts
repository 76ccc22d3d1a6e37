/**
 * The login in progress: a promise that `connect()` awaits and that the frames of the login
 * settle (a `Conn` resolves it; a refusal, a timeout or a close rejects it), exactly once.
 * @module
 */
import type { KeyPair } from '@wa/crypto';
import type { ClientContext } from '../context.js';
import { ClientClosedError } from '../errors.js';

/** Internal: a login waiting for its `Conn`. */
export interface PendingLogin {
  via: 'qr' | 'restore';
  clientId: string;
  /** The QR login's key pair, whose public half the QR carries and whose private half opens `Conn.secret`. */
  keyPair?: KeyPair;
  /** Whether the server challenged the restore. */
  challenged: boolean;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Starts a login (replacing one still pending) and returns the promise its `Conn` resolves.
 * @example
 * ```ts
 * const done = expectLogin(context, { via: 'restore', clientId: stored.clientId });
 * ```
 */
export function expectLogin(context: ClientContext, details: { via: 'qr' | 'restore'; clientId: string; keyPair?: KeyPair }): Promise<void> {
  context.login?.reject(new ClientClosedError('a new login replaced this one'));
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Failures may come before anyone awaits (e.g. a refused challenge while admin login is pending).
  promise.catch(() => undefined);
  const login: PendingLogin = {
    ...details,
    challenged: false,
    settled: false,
    resolve: () => {
      if (login.settled) return;
      login.settled = true;
      resolve();
    },
    reject: (error) => {
      if (login.settled) return;
      login.settled = true;
      reject(error);
    },
  };
  context.login = login;
  return promise;
}

/**
 * Rejects the login in progress with `error`; nothing happens when none is pending.
 * @example
 * ```ts
 * failLogin(context, new ClientClosedError('close() was called while logging in'));
 * ```
 */
export function failLogin(context: ClientContext, error: unknown): void {
  const login = context.login;
  if (!login || login.settled) return;
  context.login = undefined;
  login.reject(error);
}
