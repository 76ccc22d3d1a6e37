/**
 * The chat list and contacts after login. The server pushes them by itself; a web client asks
 * for what was not pushed after a while (FACTS.md).
 * @module
 */
import { Flag, Metric } from '@wa/transport';
import { isResponseOf } from './answers.js';
import { nextEpoch, type ClientContext } from './context.js';
import { applyNode } from './node-events.js';
import { sendNode } from './outgoing.js';

/**
 * After `initialSyncTimeoutMs`, queries the chat list and the contacts if they have not arrived.
 * @example
 * ```ts
 * armInitialSync(context); // right after the login's Conn
 * ```
 */
export function armInitialSync(context: ClientContext): void {
  context.timers.set('initial-sync', context.initialSyncTimeoutMs, () => {
    if (context.state !== 'open') return;
    for (const [type, metric, have] of [
      ['chat', Metric.queryChat, context.store.hasChatList],
      ['contacts', Metric.queryContacts, context.store.hasContacts],
    ] as const) {
      if (have) continue;
      context.logger.info('asking for a list the server did not push', { type });
      sendNode(context, context.connection.nextTag(), ['query', { type, epoch: nextEpoch(context) }, null], metric, Flag.ignore, isResponseOf(type)).then(
        (reply) => reply.kind === 'node' && applyNode(context, reply.tag, reply.node),
        (error: unknown) => context.logger.warn('initial sync query failed', { type, error: (error as Error).message }),
      );
    }
  });
}
