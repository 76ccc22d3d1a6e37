import type { Node } from '@wa/binary-codec';
import type { SandboxContext } from '../context.js';
import type { WebConnection } from './connection.js';

/**
 * Actions on single messages a web client sends inside `["action",{"type":"set","epoch"},[…]]`
 * (metric 10): star/unstar `["chat",{"jid","type":"star"|"unstar"},[["item",{"owner","index"}]…]]`
 * and delete for me `["chat",{"jid","modify_tag","type":"clear"},[["item",{"owner","index"}]…]]`
 * (FACTS.md "Profile, blocking, chat actions, other pushes"). Returns the status to answer.
 * @example
 * ```ts
 * applyMessageAction(context, connection, { jid, type: 'star' }, [['item', { owner: 'true', index: id }, null]]);
 * ```
 */
export function applyMessageAction(context: SandboxContext, connection: WebConnection, attrs: Record<string, string>, items: Node[]): number {
  void context;
  void connection;
  void attrs;
  void items;
  // Accepted; not modelled yet.
  return 200;
}

/**
 * Whether a `chat` action child acts on messages (`star`/`unstar`, or a `clear` naming `item`s)
 * rather than on the whole chat.
 * @example
 * ```ts
 * isMessageAction({ type: 'star', jid }, [['item', { owner: 'true', index: id }, null]]); // true
 * ```
 */
export function isMessageAction(attrs: Record<string, string>, children: Node[]): boolean {
  return attrs.type === 'star' || attrs.type === 'unstar' || (attrs.type === 'clear' && children.some((child) => child[0] === 'item'));
}
