/**
 * The send queue: while the client reconnects by itself, messages and every other request
 * (queries, chat and group actions, presence …) wait here (bounded in number and in time, the
 * `sendQueue` option) and go out once the session is back.
 * @module
 */
import { requireOpen, type ClientContext } from './context.js';
import { ClientClosedError, NotLoggedInError, type SendError, type SendErrorCode } from './errors.js';
import type { DisconnectReason } from './types.js';

/** Internal: a send waiting in the queue. */
export interface QueuedSend {
  /** The session is back: send now. */
  release(): void;
  /** The session is not coming back. */
  interrupt(reason: DisconnectReason, error?: Error): void;
}

/** Builds the error of a wait in the queue that failed: full, timed out, or interrupted. */
export type QueueFailure = (code: SendErrorCode, message: string, cause?: unknown) => Error;

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
export async function whenSessionOpen(context: ClientContext, fail: QueueFailure): Promise<void> {
  if (context.state === 'open' && context.keys) return;
  if (context.resume === undefined || context.closedByUser) {
    requireOpen(context);
    return;
  }
  const { maxSize, maxWaitMs } = context.sendQueue;
  if (context.queued.length >= maxSize) {
    throw fail('SEND_QUEUE_FULL', maxSize === 0 ? 'the client is reconnecting and its send queue is off (sendQueue: false)' : `the client is reconnecting and its send queue is full (${maxSize} waiting)`);
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
 * A request other than a message (a query, an action) failing its wait: `NotLoggedInError` when
 * the queue is full (or off) or the session did not come back in time; the end of the session
 * (`ClientClosedError` after `close()`, the `LoginError` of a refused reconnect) when it ended.
 */
const requestFailure: QueueFailure = (code, message, cause) => {
  if (code === 'SEND_INTERRUPTED') return cause instanceof Error ? cause : new ClientClosedError(message);
  return new NotLoggedInError(message);
};

/**
 * Resolves once a request may go out: at once when the session is open; while the client
 * reconnects by itself, when the session is back, after waiting in the send queue like a message
 * (so requests and messages go out in the order they were made).
 * @throws (as rejections) NotLoggedInError when not connected and not reconnecting, when the
 * queue is full or off (`sendQueue: false`), or when the session did not come back within
 * `sendQueue.maxWaitMs`; ClientClosedError after `close()`; the LoginError of a reconnect refused.
 * @example
 * ```ts
 * await whenRequestable(context);
 * await requestJson(context, ['query', 'exist', jid]);
 * ```
 */
export function whenRequestable(context: ClientContext): Promise<void> {
  return whenSessionOpen(context, requestFailure);
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
