import type { Node } from '@wa/binary-codec';
import { fromBase64, toBase64 } from '@wa/crypto';
import { decodeMessage, decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import { isGroupJid, protoJid } from '../world/jid.js';
import type { AccountData, ChatData, MessageData } from '../world/types.js';
import type { World } from '../world/world.js';

/**
 * Builders for the binary nodes the server sends (FACTS.md "Binary nodes beyond the seed"):
 * chat list, contacts, messages. Attribute values are always strings, as on the wire.
 */

/**
 * The `WebMessageInfo` bytes of a stored message. Messages a web client sent are replayed from
 * their original bytes with the current status; made-up ones are plain `conversation` texts.
 * User ids are written `…@s.whatsapp.net` inside the protobuf, as the live service did.
 * @example
 * ```ts
 * const bytes = messageInfoBytes(message, '15550100002@c.us');
 * ```
 */
export function messageInfoBytes(message: MessageData, chatJid: string): Uint8Array {
  if (message.raw !== undefined) {
    const raw = fromBase64(message.raw);
    try {
      const info = decodeWebMessageInfo(raw) as unknown as Record<string, unknown>;
      return encodeWebMessageInfo({ ...info, status: message.status } as WebMessageInfoInput);
    } catch {
      return raw;
    }
  }
  const key: Record<string, unknown> = { remoteJid: protoJid(chatJid), fromMe: message.fromMe, id: message.id };
  const info: Record<string, unknown> = {
    key,
    message: message.content !== undefined ? decodeMessage(fromBase64(message.content)) : { conversation: message.text ?? '' },
    messageTimestamp: message.t,
  };
  // Incoming messages carry no status in captured frames; the sender's view does.
  if (message.fromMe) info.status = message.status;
  if (message.participant !== undefined && isGroupJid(chatJid)) {
    key.participant = protoJid(message.participant);
    info.participant = protoJid(message.participant);
  }
  return encodeWebMessageInfo(info as unknown as WebMessageInfoInput);
}

/**
 * `["message", null, <WebMessageInfo>]`.
 * @example
 * ```ts
 * messageNode(message, chat.jid);
 * ```
 */
export function messageNode(message: MessageData, chatJid: string): Node {
  return ['message', null, messageInfoBytes(message, chatJid)];
}

/**
 * `["chat", {jid, count, t, mute, modify_tag, name, spam, read_only[, archive]}, null]`.
 * @example
 * ```ts
 * chatNode(world, account, chat);
 * ```
 */
export function chatNode(world: World, account: AccountData, chat: ChatData): Node {
  const attrs: Record<string, string> = {
    jid: chat.jid,
    count: String(chat.unread),
    t: String(chat.t),
    mute: String(chat.mute),
    modify_tag: String(100000 + (chat.t % 900000)),
    spam: 'false',
    read_only: 'false',
  };
  const name = world.displayName(account, chat.jid);
  if (name !== undefined) attrs.name = name;
  if (chat.archived) attrs.archive = 'true';
  return ['chat', attrs, null];
}

/**
 * `["response", {"type": "chat"}, [chat…]]`, most recent chat first.
 * @example
 * ```ts
 * connection.sendNode(tag, chatListNode(world, account));
 * ```
 */
export function chatListNode(world: World, account: AccountData): Node {
  return ['response', { type: 'chat' }, world.chatsOf(account).map((chat) => chatNode(world, account, chat))];
}

/**
 * `["response", {"type": "contacts"}, [["user", {jid, name, short, notify}, null]…]]`: the
 * address book plus everyone the account chats with.
 * @example
 * ```ts
 * connection.sendNode(tag, contactsNode(world, account));
 * ```
 */
export function contactsNode(world: World, account: AccountData): Node {
  const users: Node[] = account.contacts.map((entry) => {
    const attrs: Record<string, string> = { jid: entry.jid, name: entry.name, short: entry.short };
    const notify = world.user(entry.jid)?.name;
    if (notify !== undefined) attrs.notify = notify;
    return ['user', attrs, null];
  });
  const inAddressBook = new Set(account.contacts.map((entry) => entry.jid));
  for (const chat of account.chats) {
    if (isGroupJid(chat.jid) || inAddressBook.has(chat.jid)) continue;
    const notify = world.user(chat.jid)?.name;
    users.push(['user', notify === undefined ? { jid: chat.jid } : { jid: chat.jid, notify }, null]);
  }
  return ['response', { type: 'contacts' }, users];
}

/**
 * `["response", {"type": "status"}, [["status", {jid, t}, text]…]]`: the "about" texts of the
 * address book.
 * @example
 * ```ts
 * connection.sendNode(tag, statusListNode(world, account));
 * ```
 */
export function statusListNode(world: World, account: AccountData): Node {
  const items: Node[] = [];
  for (const entry of account.contacts) {
    const user = world.user(entry.jid);
    if (user) items.push(['status', { jid: user.jid, t: String(user.lastSeen) }, user.status]);
  }
  return ['response', { type: 'status' }, items];
}

/**
 * `["action", {"add": "last"}, [message…]]`: the latest messages of every chat, oldest first.
 * @example
 * ```ts
 * connection.sendNode(tag, recentMessagesNode(world, account, 20));
 * ```
 */
export function recentMessagesNode(world: World, account: AccountData, perChat: number): Node {
  const messages: Node[] = [];
  for (const chat of world.chatsOf(account).reverse()) {
    for (const message of chat.messages.slice(-perChat)) messages.push(messageNode(message, chat.jid));
  }
  return ['action', { add: 'last' }, messages];
}

/**
 * A history page for `["query", {"type": "message", jid, kind: "before", index, count}]`:
 * `["action", {"add": "before"[, "last": "true"]}, [message…]]`. `last` says the page reaches
 * the start of the chat.
 * @example
 * ```ts
 * historyNode(chat, { before: '3EB0…', count: 50 });
 * ```
 */
export function historyNode(chat: ChatData | undefined, options: { before?: string; count: number }): Node {
  const messages = chat?.messages ?? [];
  let end = messages.length;
  if (options.before !== undefined) {
    const index = messages.findIndex((message) => message.id === options.before);
    end = index >= 0 ? index : 0;
  }
  const start = Math.max(0, end - options.count);
  const page = messages.slice(start, end).map((message) => messageNode(message, chat!.jid));
  const attrs: Record<string, string> = start === 0 ? { add: 'before', last: 'true' } : { add: 'before' };
  return ['action', attrs, page];
}

/**
 * The recipient's copy of a message a web client sent: same content, key rewritten to the
 * recipient's view (`fromMe: false`, chat = the sender or the group), status dropped. Returns
 * Base64 like `MessageData.raw`.
 * @example
 * ```ts
 * copy.raw = recipientCopy(message.raw, senderWid);
 * ```
 */
export function recipientCopy(rawBase64: string, chatJid: string, participant?: string): string {
  const info = decodeWebMessageInfo(fromBase64(rawBase64)) as unknown as Record<string, unknown>;
  const key: Record<string, unknown> = { ...(info.key as Record<string, unknown>), remoteJid: protoJid(chatJid), fromMe: false };
  const copy: Record<string, unknown> = { ...info, key };
  delete copy.status;
  if (participant !== undefined) {
    key.participant = protoJid(participant);
    copy.participant = protoJid(participant);
  } else {
    delete key.participant;
  }
  return toBase64(encodeWebMessageInfo(copy as unknown as WebMessageInfoInput));
}
