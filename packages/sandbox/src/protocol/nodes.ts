import type { Node } from '@wa/binary-codec';
import { fromBase64, toBase64, utf8Encode } from '@wa/crypto';
import { decodeMessage, decodeWebMessageInfo, encodeWebMessageInfo, type WebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import { isGroupJid, protoJid } from '../world/jid.js';
import type { AccountData, ChatData, GroupData, MessageData } from '../world/types.js';
import type { World } from '../world/world.js';
import { ephemeralAttributes } from '../ephemeral.js';
import { cachedInfoBytes, encodeTextInfo, rememberInfoBytes, type TextInfo } from './info-bytes.js';

/**
 * Builders for the binary nodes the server sends (FACTS.md "Binary nodes beyond the seed"):
 * chat list, contacts, messages. Attribute values are always strings, as on the wire.
 */

/**
 * Maps a media `directPath` (or an old URL) to the URL the media server serves it at now, or
 * `undefined` to leave the message as it is; `MediaStore.urlOf` is one.
 */
export type MediaUrlOf = (pathOrUrl: string) => string | undefined;

/**
 * Points the `url` of a media message at the current media host. A blob restored from the
 * persisted state keeps its id, but the server may now listen on another port, and clients
 * download from `url` first.
 */
function rebaseMediaUrls(message: unknown, mediaUrl: MediaUrlOf | undefined): boolean {
  if (typeof message !== 'object' || message === null) return false;
  let hasMedia = false;
  for (const [key, value] of Object.entries(message)) {
    if (!key.endsWith('Message') || typeof value !== 'object' || value === null) continue;
    // Media sent into a chat with disappearing messages on sits inside the wrapper.
    if (key === 'ephemeralMessage') {
      if (rebaseMediaUrls((value as { message?: unknown }).message, mediaUrl)) hasMedia = true;
      continue;
    }
    const media = value as { url?: unknown; directPath?: unknown };
    const from = typeof media.directPath === 'string' ? media.directPath : typeof media.url === 'string' ? media.url : undefined;
    if (from === undefined) continue;
    hasMedia = true;
    const url = mediaUrl?.(from);
    if (url !== undefined) media.url = url;
  }
  return hasMedia;
}

/**
 * Whether a message's content has no media URL or path (its stored bytes are then its bytes on
 * every push, whatever host the media server has).
 * @example
 * ```ts
 * hasNoMedia(decodeWebMessageInfo(bytes).message); // true for a text
 * ```
 */
export function hasNoMedia(content: unknown): boolean {
  return !rebaseMediaUrls(content, undefined);
}

/**
 * The `WebMessageInfo` bytes of a stored message. Messages a web client sent are replayed from
 * their original bytes with the current status; made-up ones are plain `conversation` texts.
 * User ids are written `…@s.whatsapp.net` inside the protobuf, as the live service did. With
 * `mediaUrl`, media URLs are re-based onto the current media host.
 * @example
 * ```ts
 * const bytes = messageInfoBytes(message, '15550100002@c.us', (path) => sandbox.media.urlOf(path));
 * ```
 */
export function messageInfoBytes(message: MessageData, chatJid: string, mediaUrl?: MediaUrlOf): Uint8Array {
  if (message.raw !== undefined) {
    // The same raw and status give the same bytes (unless a media URL is re-based): build them once.
    const cached = cachedInfoBytes(message);
    if (cached !== undefined) return cached;
    const raw = fromBase64(message.raw);
    try {
      const info = decodeWebMessageInfo(raw) as unknown as Record<string, unknown>;
      const hasMedia = rebaseMediaUrls(info.message, mediaUrl);
      const bytes = encodeWebMessageInfo({ ...info, status: message.status } as WebMessageInfoInput);
      if (!hasMedia) rememberInfoBytes(message, bytes);
      return bytes;
    } catch {
      return raw;
    }
  }
  const inGroup = message.participant !== undefined && isGroupJid(chatJid);
  if (message.content === undefined) {
    // A made-up text: written directly, as the encoder below would write it.
    const text: TextInfo = { remoteJid: protoJid(chatJid), fromMe: message.fromMe, id: message.id, text: message.text ?? '', timestamp: message.t };
    if (message.fromMe) text.status = message.status;
    if (inGroup) text.participant = protoJid(message.participant!);
    if (Number.isSafeInteger(message.t) && message.t >= 0) return encodeTextInfo(text);
  }
  const key: Record<string, unknown> = { remoteJid: protoJid(chatJid), fromMe: message.fromMe, id: message.id };
  const content = message.content !== undefined ? decodeMessage(fromBase64(message.content)) : { conversation: message.text ?? '' };
  rebaseMediaUrls(content, mediaUrl);
  const info: Record<string, unknown> = { key, message: content, messageTimestamp: message.t };
  // Incoming messages carry no status in captured frames; the sender's view does.
  if (message.fromMe) info.status = message.status;
  if (inGroup) {
    key.participant = protoJid(message.participant!);
    info.participant = protoJid(message.participant!);
  }
  return encodeWebMessageInfo(info as unknown as WebMessageInfoInput);
}

/**
 * `["message", null, <WebMessageInfo>]`.
 * @example
 * ```ts
 * messageNode(message, chat.jid, (path) => sandbox.media.urlOf(path));
 * ```
 */
export function messageNode(message: MessageData, chatJid: string, mediaUrl?: MediaUrlOf): Node {
  return ['message', null, messageInfoBytes(message, chatJid, mediaUrl)];
}

/**
 * `["chat", {jid, count, t, mute, modify_tag, name, spam[, archive][, pin][, read_only]}, null]`.
 * `read_only:"true"` appears only on a group the account has left: clients read the mere
 * presence of the attribute as "left" (FACTS.md "History and chat attributes").
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
  };
  const name = world.displayName(account, chat.jid);
  if (name !== undefined) attrs.name = name;
  if (chat.archived) attrs.archive = 'true';
  if (chat.pin !== undefined) attrs.pin = String(chat.pin);
  // Disappearing messages (ephemeral.ts): the timer and when it was set, as clients read them;
  // a group's timer is the group's setting (groups.ts), the same for every member.
  if (chat.ephemeral !== undefined) Object.assign(attrs, ephemeralAttributes(chat));
  else if (isGroupJid(chat.jid)) {
    const timer = world.group(chat.jid)?.ephemeral;
    if (timer !== undefined && timer > 0) attrs.ephemeral = String(timer);
  }
  if (hasLeftGroup(world, account, chat.jid)) attrs.read_only = 'true';
  return ['chat', attrs, null];
}

/** Whether `chatJid` is a group the account has a chat with but no longer belongs to. */
export function hasLeftGroup(world: World, account: AccountData, chatJid: string): boolean {
  if (!isGroupJid(chatJid)) return false;
  const group = world.group(chatJid);
  return group !== undefined && !group.participants.some((participant) => participant.jid === account.wid);
}

/**
 * The answer to the binary `["query", {"type": "group", jid}]` (which works after leaving):
 * `["response", {"type": "group"}, [["group", {jid, creator, create, subject}, [["participant",
 * {jid[, type: "admin"|"superadmin"]}]…[, ["description", {id}, <utf-8 bytes>]]]]]]`.
 * @example
 * ```ts
 * connection.sendNode(tag, groupMetadataNode(world.requireGroup(gid)));
 * ```
 */
export function groupMetadataNode(group: GroupData): Node {
  const children: Node[] = group.participants.map((participant) => {
    const attrs: Record<string, string> = { jid: participant.jid };
    if (participant.isSuperAdmin) attrs.type = 'superadmin';
    else if (participant.isAdmin) attrs.type = 'admin';
    return ['participant', attrs, null];
  });
  if (group.desc !== undefined) children.push(['description', { id: descriptionId(group) }, utf8Encode(group.desc)]);
  const attrs = { jid: group.id, creator: group.owner, create: String(group.creation), subject: group.subject };
  return ['response', { type: 'group' }, [['group', attrs, children]]];
}

/** The id of a group's description, as `GroupMetadata` and the binary group query report it. */
export function descriptionId(group: GroupData): string {
  return group.descId ?? `D${group.creation}`;
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
 * `["action", {"add": "last", "last": "true"}, [message…]]`: the latest messages of every chat,
 * in one push (`last` says it is the whole of it; older clients finish their login on it), newest first
 * (the most recent chat first, each chat's messages newest first). Clients built against the
 * real service reverse this push and stack every message after the one before.
 * @example
 * ```ts
 * connection.sendNode(tag, recentMessagesNode(world, account, 20));
 * ```
 */
export function recentMessagesNode(world: World, account: AccountData, perChat: number, mediaUrl?: MediaUrlOf): Node {
  const messages: Node[] = [];
  for (const chat of world.chatsOf(account)) {
    const recent = perChat > 0 ? chat.messages.slice(-perChat) : [];
    for (let i = recent.length - 1; i >= 0; i--) messages.push(messageNode(recent[i]!, chat.jid, mediaUrl));
  }
  return ['action', { add: 'last', last: 'true' }, messages];
}

/** Which page of a chat's history a `["query", {"type": "message", …}]` asks for. */
export interface HistoryPage {
  /** `before`: the messages before `index` (the newest when absent); `after`: those after it (the oldest when absent). */
  kind: 'before' | 'after';
  /** The id of the message the page is counted from. */
  index?: string;
  /** Whether `index` is one's own message (`owner:"true"`), which tells two messages with one id apart. */
  owner?: boolean;
  count: number;
}

/**
 * A history page for `["query", {"type": "message", jid, kind, index, owner, count}]`, oldest
 * message first in both directions: `["action", {"add": "before"[, "last": "true"]}, […]]`
 * (`last` when the page reaches the start of the chat) or `["action", {"add": "after"[, "last":
 * "true"]}, […]]` (`last` when it reaches the newest message). An index the chat does not hold
 * gives an empty page.
 * @example
 * ```ts
 * historyNode(chat, { kind: 'before', index: '3EB0…', owner: true, count: 50 });
 * ```
 */
export function historyNode(chat: ChatData | undefined, page: HistoryPage, mediaUrl?: MediaUrlOf): Node {
  const messages = chat?.messages ?? [];
  let position: number | undefined;
  if (page.index !== undefined) {
    const matches = (message: MessageData): boolean => message.id === page.index && (page.owner === undefined || message.fromMe === page.owner);
    const found = messages.findIndex(matches);
    position = found >= 0 ? found : messages.findIndex((message) => message.id === page.index);
  }
  let start: number;
  let end: number;
  if (page.kind === 'after') {
    start = position === undefined ? 0 : position < 0 ? messages.length : position + 1;
    end = Math.min(messages.length, start + page.count);
  } else {
    end = position === undefined ? messages.length : position < 0 ? 0 : position;
    start = Math.max(0, end - page.count);
  }
  const nodes = messages.slice(start, end).map((message) => messageNode(message, chat!.jid, mediaUrl));
  const reachesEdge = page.kind === 'after' ? end === messages.length : start === 0;
  const attrs: Record<string, string> = reachesEdge ? { add: page.kind, last: 'true' } : { add: page.kind };
  return ['action', attrs, nodes];
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
  return toBase64(recipientCopyBytes(decodeWebMessageInfo(fromBase64(rawBase64)), chatJid, participant));
}

/**
 * {@link recipientCopy} from the decoded message, as bytes (canonical: {@link withStatus} can set
 * the status the recipient's pushes carry without another round trip).
 * @example
 * ```ts
 * const bytes = recipientCopyBytes(decodeWebMessageInfo(sent), senderWid);
 * ```
 */
export function recipientCopyBytes(decoded: WebMessageInfo, chatJid: string, participant?: string): Uint8Array {
  const info = decoded as unknown as Record<string, unknown>;
  const key: Record<string, unknown> = { ...(info.key as Record<string, unknown>), remoteJid: protoJid(chatJid), fromMe: false };
  const copy: Record<string, unknown> = { ...info, key };
  delete copy.status;
  if (participant !== undefined) {
    key.participant = protoJid(participant);
    copy.participant = protoJid(participant);
  } else {
    delete key.participant;
  }
  return encodeWebMessageInfo(copy as unknown as WebMessageInfoInput);
}
