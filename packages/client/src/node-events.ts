/**
 * What the binary nodes of a session mean to the client: the chat list and contacts
 * (`response` nodes) and messages (`action` nodes) go into the store and out as events.
 * @module
 */
import { getChildren, type Node } from '@wa/binary-codec';
import { report, type ClientContext } from './context.js';
import { storeIncoming } from './message-actions.js';
import { chatFromNode, contactFromNode, messageEvent, messagesFromNode } from './nodes.js';
import { applyGroupStub } from './groups.js';
import { applyPushChild } from './push-children.js';
import { emitUnhandledNode } from './raw-hooks.js';
import type { Chat, Contact, MessageSource } from './types.js';

const messageSources: ReadonlySet<string> = /* @__PURE__ */ new Set<MessageSource>(['relay', 'last', 'before', 'update', 'unread']);

/**
 * Applies a node pushed by the server (or answering the initial sync) to the store and emits
 * `chats`, `contacts` and `message` events; other nodes are logged and ignored.
 * @example
 * ```ts
 * applyNode(context, tag, ['response', { type: 'chat' }, chatNodes]);
 * ```
 */
export function applyNode(context: ClientContext, tag: string, node: Node): void {
  const [description, attrs] = node;
  if (description === 'response') {
    const children = Array.isArray(node[2]) ? node[2] : [];
    if (attrs?.type === 'chat') {
      context.store.setChats(children.map(chatFromNode).filter((chat): chat is Chat => chat !== undefined));
      context.emit('chats', context.store.chats());
    } else if (attrs?.type === 'contacts') {
      context.store.setContacts(children.map(contactFromNode).filter((contact): contact is Contact => contact !== undefined));
      context.emit('contacts', context.store.contacts());
    } else emitUnhandledNode(context, tag, node, 'unknown-node');
    return;
  }
  const add = attrs?.add;
  if (description === 'action' && typeof add === 'string' && messageSources.has(add)) {
    const { messages, errors } = messagesFromNode(node, tag);
    for (const error of errors) report(context, error);
    let chatsChanged = false;
    for (const info of messages) {
      const event = messageEvent(info, add as MessageSource, context.me?.wid);
      // Revokes and disappearing-message settings act on the store instead of joining it.
      if (storeIncoming(context, event)) chatsChanged = true;
      context.emit('message', event);
      applyGroupStub(context, event);
    }
    // The chat list is copied for each event: not for a burst nobody listens to.
    if (chatsChanged && context.listens?.('chats') !== false) context.emit('chats', context.store.chats());
  }
  if (description === 'action') {
    // Everything else an action carries: contact, chat, read, receipt, battery … pushes.
    let understood = typeof add === 'string' && messageSources.has(add);
    for (const child of getChildren(node)) {
      if (child[0] === 'message') continue;
      if (applyPushChild(context, child)) understood = true;
      else {
        context.logger.debug('ignored an action child', { tag, description: child[0] });
        emitUnhandledNode(context, tag, child, 'unknown-action-child', attrs ?? {});
      }
    }
    if (understood) return;
  }
  context.logger.debug('ignored a binary node', { tag, description });
  emitUnhandledNode(context, tag, node, 'unknown-node');
}
