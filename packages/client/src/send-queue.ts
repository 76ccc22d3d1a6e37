/**
 * The send queue: while the client reconnects by itself, messages wait here (bounded in number
 * and in time, the `sendQueue` option) and go out once the session is back.
 * @module
 */
import { requireOpen, type ClientContext } from './context.js';
import { ClientClosedError, type SendError, type SendErrorCode } from './errors.js';
import type { DisconnectReason } from './types.js';

/** Internal: a send waiting in the queue. */
export interface QueuedSend {
  /** The session is back: send now. */
  release(): void;
  /** The session is not coming back. */
  interrupt(reason: DisconnectReason, error?: Error): void;
}

/** Builds the {@link SendError} of one message (its id, chat and `retry`). */
export type SendFailure = (code: SendErrorCode, message: string, cause?: unknown) => SendError;

/**
 * Whether a send may start now: the session is open, or the client is reconnecting by itself
 * (the send will wait in the queue).
 * @throws ClientClosedError after `close()` or a session that ended, NotLoggedInError before `connect()` finished.
 * @example
 * ```ts
 * requireSendable(context); // before building the message
 * ```
 */
export function requireSendable(context: ClientContext): void {
  if (context.resume !== undefined && !context.closedByUser) return;
  requireOpen(context);
}

/**
 * Resolves once the session is open: at once when it is, else after waiting in the queue while
 * the client reconnects.
 * @throws (as rejections) `fail(...)`'s SendError `SEND_QUEUE_FULL`, `SEND_QUEUE_TIMEOUT` or
 * `SEND_INTERRUPTED`; ClientClosedError / NotLoggedInError when the client is not reconnecting.
 * @example
 * ```ts
 * await whenSessionOpen(context, fail);
 * ```
 */
export async function whenSessionOpen(context: ClientContext, fail: SendFailure): Promise<void> {
  if (context.state === 'open' && context.keys) return;
  if (context.resume === undefined || context.closedByUser) {
    requireOpen(context);
    return;
  }
  const { maxSize, maxWaitMs } = context.sendQueue;
  if (context.queued.length >= maxSize) {
    throw fail('SEND_QUEUE_FULL', `the client is reconnecting and its send queue is full (${maxSize} messages)`);
  }
  await new Promise<void>((resolve, reject) => {
    const entry: QueuedSend = {
      release: () => {
        clearTimeout(timer);
        resolve();
      },
      interrupt: (reason, error) => {
        clearTimeout(timer);
        reject(fail('SEND_INTERRUPTED', `the session ended (${reason}) while the message waited to be sent`, error ?? new ClientClosedError(`the session ended (${reason})`)));
      },
    };
    const timer = setTimeout(() => {
      const index = context.queued.indexOf(entry);
      if (index >= 0) context.queued.splice(index, 1);
      reject(fail('SEND_QUEUE_TIMEOUT', `the session did not come back within ${maxWaitMs} ms`));
    }, maxWaitMs);
    context.queued.push(entry);
  });
}

/**
 * The session is back: every queued send goes out, oldest first.
 * @example
 * ```ts
 * context.state = 'open';
 * releaseQueuedSends(context);
 * ```
 */
export function releaseQueuedSends(context: ClientContext): void {
  const waiting = context.queued.splice(0);
  if (waiting.length > 0) context.logger.info('sending the queued messages', { count: waiting.length });
  for (const send of waiting) send.release();
}
