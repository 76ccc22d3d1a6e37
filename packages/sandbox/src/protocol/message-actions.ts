import type { Node } from '@wa/binary-codec';
import { toBase64 } from '@wa/crypto';
import { decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import type { SandboxContext } from '../context.js';
import { isChatJid, normalizeJid } from '../world/jid.js';
import type { ChatData, MessageData } from '../world/types.js';
import { pushToSessions } from '../session-pushes.js';
import type { WebConnection } from './connection.js';
import { messageInfoBytes } from './nodes.js';

/**
 * Actions on single messages a web client sends inside `["action",{"type":"set","epoch"},[…]]`
 * (metric 10): star/unstar `["chat",{"jid","type":"star"|"unstar"},[["item",{"owner","index"}]…]]`
 * and delete for me `["chat",{"jid","modify_tag","type":"clear"},[["item",{"owner","index"}]…]]`
 * (FACTS.md "Profile, blocking, chat actions, other pushes"). Applied to the account's history
 * (a starred message reads `starred: true` in history and restore; a deleted one is gone) and
 * pushed to the account's other sessions as `["action",null,[["chat",{jid,type…},[["item",…]…]]]]`.
 * Returns the status to answer: 200, 400 for an item without `index` or an unknown type, 404 for
 * a chat the account does not have or when no item names a message of it.
 * @example
 * ```ts
 * applyMessageAction(context, connection, { jid, type: 'star' }, [['item', { owner: 'true', index: id }, null]]);
 * ```
 */
export function applyMessageAction(context: SandboxContext, connection: WebConnection, attrs: Record<string, string>, items: Node[]): number {
  const account = context.world.requireAccount(connection.wid!);
  const jid = normalizeJid(attrs.jid ?? '');
  const type = attrs.type ?? '';
  const refuse = (status: number, reason: string): number => {
    context.log('info', 'message-action-refused', `${type} ${jid}: ${status} ${reason}`, connection.id);
    return status;
  };
  if (!isChatJid(jid)) return refuse(400, 'no chat id');
  if (type !== 'star' && type !== 'unstar' && type !== 'clear') return refuse(400, `unknown message action ${type.slice(0, 32)}`);
  const chat = context.world.chat(account, jid);
  if (!chat) return refuse(404, `no chat ${jid}`);
  const targets: Array<{ owner: boolean | undefined; index: string }> = [];
  for (const item of items) {
    if (item[0] !== 'item') continue;
    const index = item[1]?.index;
    if (index === undefined || index === '') return refuse(400, 'an item without index');
    const owner = item[1]?.owner;
    targets.push({ owner: owner === 'true' ? true : owner === 'false' ? false : undefined, index });
  }
  const found = targets.flatMap((target) => {
    const message = findInChat(chat, target.index, target.owner);
    return message === undefined ? [] : [message];
  });
  if (found.length === 0) return refuse(404, 'no such message');
  // Only the items that did something: the other sessions apply exactly what the world did.
  const pushItems: Node[] = found.map((message) => ['item', { owner: String(message.fromMe), index: message.id }, null]);
  if (type === 'clear') {
    const gone = new Set(found);
    context.world.removeMessages(account, chat, (message) => !gone.has(message));
  } else {
    for (const message of found) setStarred(message, chat.jid, type === 'star');
  }
  context.log('info', 'message-action', `${account.wid} ${type} ${found.length} in ${jid}`, connection.id);
  context.emit('state', {});
  const pushAttrs: Record<string, string> = { jid, type };
  if (attrs.modify_tag !== undefined) pushAttrs.modify_tag = attrs.modify_tag;
  pushToSessions(context, account.wid, ['action', null, [['chat', pushAttrs, pushItems]]], connection);
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

/** The message `index` of a chat, the one with `owner` as `fromMe` when given (own and received messages may share an id). */
function findInChat(chat: ChatData, index: string, owner: boolean | undefined): MessageData | undefined {
  return chat.messages.find((message) => message.id === index && (owner === undefined || message.fromMe === owner));
}

/**
 * Stars or unstars a stored message: `starred` on the message data, and in the `WebMessageInfo`
 * that history and restore replay (`starred`, field 17).
 * @example
 * ```ts
 * setStarred(message, chat.jid, true);
 * ```
 */
export function setStarred(message: MessageData, chatJid: string, starred: boolean): void {
  if (starred) message.starred = true;
  else delete message.starred;
  rewriteStoredInfo(message, chatJid, (info) => {
    const changed: Record<string, unknown> = { ...info };
    if (starred) changed.starred = true;
    else delete changed.starred;
    return changed as unknown as WebMessageInfoInput;
  });
}

/**
 * Replaces what a stored message replays as (its `raw` `WebMessageInfo`) with `change` of its
 * current form; a made-up message (text or `content`) becomes one kept as `raw`.
 * @example
 * ```ts
 * rewriteStoredInfo(message, chat.jid, (info) => ({ ...info, starred: true }));
 * ```
 */
export function rewriteStoredInfo(message: MessageData, chatJid: string, change: (info: WebMessageInfo) => WebMessageInfoInput): void {
  const info = decodeWebMessageInfo(messageInfoBytes(message, chatJid));
  message.raw = toBase64(encodeWebMessageInfo(change(info)));
  delete message.content;
}
