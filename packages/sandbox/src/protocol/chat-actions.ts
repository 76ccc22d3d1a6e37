import type { SandboxContext } from '../context.js';
import { pushToSessions } from '../session-pushes.js';
import { isChatJid, normalizeJid } from '../world/jid.js';
import type { AccountData, ChatData, MessageData } from '../world/types.js';
import type { WebConnection } from './connection.js';

/**
 * Chat actions (FACTS.md "Profile, blocking, chat actions, other pushes"): archive, unarchive,
 * pin, unpin, mute, unmute, delete and clear, as a web client sends them inside
 * `["action",{"type":"set","epoch"},[["chat",{…},null]]]` (metric 12) or as the phone does them.
 * Each changes the account's chat in the world (the chat list shows it: `archive`, `pin`, `mute`
 * attributes) and reaches the account's other web sessions as `["action",null,[["chat",{…},null]]]`.
 * Read state (`read` pushes) and battery pushes live here too: they are the other pushes of the
 * account's own doings.
 * @module
 */

/** How many chats one account may have pinned at once (the phone app's limit). */
export const MAX_PINNED_CHATS = 3;

/** The chat action types a `chat` node without `item` children carries. */
export type ChatActionType = 'archive' | 'unarchive' | 'pin' | 'mute' | 'delete' | 'clear';

/** What {@link performChatAction} did: the status to answer and, on 200, the attributes to push. */
export interface ChatActionResult {
  status: number;
  /** The `chat` node attributes the account's other sessions get (only with status 200). */
  push?: Record<string, string>;
  /** Why the action was refused (for the log). */
  reason?: string;
}

const seconds = /^[0-9]{1,12}$/;

/**
 * A web client's chat action: applied to the world, answered with a status (200, or the refusal:
 * 400 for a malformed action or a fourth pin, 404 for a chat the account does not have), pushed
 * to the account's other sessions.
 * @example
 * ```ts
 * const status = applyChatAction(context, connection, { jid: '15550100002@c.us', type: 'archive' });
 * ```
 */
export function applyChatAction(context: SandboxContext, connection: WebConnection, attrs: Record<string, string>): number {
  const account = context.world.requireAccount(connection.wid!);
  const result = performChatAction(context, account, attrs);
  if (result.status !== 200) {
    context.log('info', 'chat-action-refused', `${attrs.type ?? '?'} ${attrs.jid ?? '?'}: ${result.status} ${result.reason ?? ''}`, connection.id);
    return result.status;
  }
  pushChatChange(context, account.wid, result.push!, connection);
  return 200;
}

/**
 * Applies one chat action to `account`'s chat in the world. `attrs` as on the wire:
 * `{jid, type:"archive"|"unarchive"|"delete", index?, owner?}`, `{jid, type:"pin", pin:"<s>"}` /
 * `{…, previous}` (unpin), `{jid, type:"mute", mute:"<s until>"}` / `{…, previous}` (unmute),
 * `{jid, type:"clear", star:"true"|"false", index?, owner?}` (`star:"true"` clears starred
 * messages too, as Baileys' `includeStarred`).
 * @example
 * ```ts
 * performChatAction(context, account, { jid, type: 'pin', pin: '1600000000' }); // { status: 200, push: {…} }
 * ```
 */
export function performChatAction(context: SandboxContext, account: AccountData, attrs: Record<string, string>): ChatActionResult {
  const { world } = context;
  const jid = normalizeJid(attrs.jid ?? '');
  if (!isChatJid(jid)) return { status: 400, reason: 'no chat id' };
  const type = attrs.type ?? '';
  const chat = world.chat(account, jid);
  if (!chat) return { status: 404, reason: `no chat ${jid}` };
  const push: Record<string, string> = { jid, type };
  const at = (name: 'index' | 'owner'): void => {
    if (attrs[name] !== undefined) push[name] = attrs[name]!;
  };
  switch (type) {
    case 'archive':
    case 'unarchive':
      chat.archived = type === 'archive';
      at('index');
      at('owner');
      break;
    case 'pin': {
      if (attrs.pin !== undefined) {
        if (!seconds.test(attrs.pin)) return { status: 400, reason: 'pin must be unix seconds' };
        const pinned = account.chats.filter((entry) => entry.pin !== undefined && entry !== chat).length;
        if (chat.pin === undefined && pinned >= MAX_PINNED_CHATS) return { status: 400, reason: `${MAX_PINNED_CHATS} chats are pinned already` };
        chat.pin = Number(attrs.pin);
        push.pin = attrs.pin;
      } else {
        push.previous = chat.pin !== undefined ? String(chat.pin) : (attrs.previous ?? '0');
        delete chat.pin;
      }
      break;
    }
    case 'mute':
      if (attrs.mute !== undefined) {
        if (!seconds.test(attrs.mute)) return { status: 400, reason: 'mute must be unix seconds' };
        chat.mute = Number(attrs.mute);
        push.mute = attrs.mute;
      } else {
        push.previous = String(chat.mute !== 0 ? chat.mute : (attrs.previous ?? '0'));
        chat.mute = 0;
      }
      break;
    case 'delete':
      world.removeChat(account, jid);
      at('index');
      at('owner');
      break;
    case 'clear': {
      if (attrs.star !== undefined && attrs.star !== 'true' && attrs.star !== 'false') return { status: 400, reason: 'star must be true or false' };
      const withStarred = attrs.star === 'true';
      const end = clearEnd(chat, attrs);
      world.removeMessages(account, chat, (message, index) => index >= end || (!withStarred && isStarred(message)));
      chat.unread = 0;
      push.star = withStarred ? 'true' : 'false';
      at('index');
      at('owner');
      break;
    }
    default:
      return { status: 400, reason: `unknown chat action ${type.slice(0, 32)}` };
  }
  context.log('info', 'chat-action', `${account.wid} ${type} ${jid}`);
  context.emit('state', {});
  return { status: 200, push };
}

/** Messages before this position go on a clear: up to and including `index` when the chat has it, else all. */
function clearEnd(chat: ChatData, attrs: Record<string, string>): number {
  if (attrs.index === undefined) return chat.messages.length;
  const owner = attrs.owner === undefined ? undefined : attrs.owner === 'true';
  const found = chat.messages.findIndex((message) => message.id === attrs.index && (owner === undefined || message.fromMe === owner));
  return found < 0 ? chat.messages.length : found + 1;
}

/** Whether a stored message is starred (`starred`, kept by the star/unstar message actions). */
function isStarred(message: MessageData): boolean {
  return message.starred === true;
}

/**
 * `["action",null,[["chat",attrs,null]]]` to the account's other sessions.
 * @example
 * ```ts
 * pushChatChange(context, account.wid, { jid, type: 'archive' }, connection);
 * ```
 */
export function pushChatChange(context: SandboxContext, wid: string, attrs: Record<string, string>, except?: WebConnection): void {
  pushToSessions(context, wid, ['action', null, [['chat', attrs, null]]], except);
}

/**
 * `["action",null,[["read",{jid}]]]` (read) or `["action",null,[["read",{jid,type:"false"}]]]`
 * (marked unread) to the account's sessions but `except`: another session or the phone read the chat.
 * @example
 * ```ts
 * pushReadState(context, account.wid, chat.jid, false, connection);
 * ```
 */
export function pushReadState(context: SandboxContext, wid: string, chatJid: string, unread: boolean, except?: WebConnection): void {
  pushToSessions(context, wid, ['action', null, [['read', unread ? { jid: chatJid, type: 'false' } : { jid: chatJid }, null]]], except);
}
