/**
 * The sealed queries about stored messages (FACTS.md "Profile, blocking, chat actions, other
 * pushes", docs/protocol/queries.md):
 *
 * - `["query",{"type":"message_info","index","jid","epoch"}]` (metric 22): who got and read an
 *   own message, from the receipt times {@link recordReceipt} keeps when acks go out;
 * - `["query",{"type":"search","search","count","page","jid"?,"epoch"}]` (metric 24): a text
 *   search over the account's stored messages (texts and captions), newest first;
 * - `["query",{"type":"media","index","owner","jid","epoch"}]` (metric 4): the current URL and
 *   direct path of a media message whose URL expired.
 *
 * Refusals are JSON statuses under the query's tag: 400 for a malformed query, 404 for a message
 * (or blob) the account does not hold.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { fromBase64 } from '@wa/crypto';
import { decodeMessage, decodeWebMessageInfo } from '@wa/proto';
import type { SandboxContext } from '../context.js';
import { isGroupJid, normalizeJid } from '../world/jid.js';
import type { AccountData, ChatData, MessageData, MessageReceipt } from '../world/types.js';
import { phoneDelivery, type WebConnection } from './connection.js';
import { MAX_RECEIPTS_PER_MESSAGE, MAX_SEARCH_COUNT } from './constants.js';
import { messageNode, type MediaUrlOf } from './nodes.js';

/**
 * Remembers when recipient `jid` got (level 2) or read (level 3) an own message; the first time
 * of each level counts. Called where the sandbox pushes the `Msg`/`MsgInfo` ack. At most
 * {@link MAX_RECEIPTS_PER_MESSAGE} recipients are kept per message.
 * @example
 * ```ts
 * recordReceipt(message, 3, '15550100002@c.us', 1700000000);
 * message.receipts; // [{ jid: '15550100002@c.us', delivered: 1700000000, read: 1700000000 }]
 * ```
 */
export function recordReceipt(message: MessageData, level: 2 | 3, jid: string, t: number): void {
  // Recipients are users: the participant in a group, the chat in a one-to-one chat.
  if (!message.fromMe || isGroupJid(jid)) return;
  const receipts = (message.receipts ??= []);
  let receipt = receipts.find((entry) => entry.jid === jid);
  if (!receipt) {
    if (receipts.length >= MAX_RECEIPTS_PER_MESSAGE) return;
    receipt = { jid };
    receipts.push(receipt);
  }
  // Reading implies receiving.
  receipt.delivered ??= t;
  if (level === 3) receipt.read ??= t;
}

/**
 * The answer to `query message_info`: `["response",{"type":"message_info"},[["read",null,
 * [["user",{jid,t}]…]],["delivery",null,[["user",{jid,t}]…]]]]`, oldest first in each list. A list
 * with nobody in it is left out (a widely used client reads the first child of each list).
 * `delivery` names everyone who got the message, readers included, each with the time they got it.
 * @example
 * ```ts
 * messageInfoNode(message); // ['response', { type: 'message_info' }, [['read', null, [['user', { jid, t: '1700000000' }, null]]], …]]
 * ```
 */
export function messageInfoNode(message: MessageData): Node {
  const receipts = message.receipts ?? [];
  const list = (name: 'read' | 'delivery', timeOf: (receipt: MessageReceipt) => number | undefined): Node[] => {
    const users = receipts
      .flatMap((receipt) => {
        const t = timeOf(receipt);
        return t === undefined ? [] : [{ jid: receipt.jid, t }];
      })
      .sort((a, b) => a.t - b.t)
      .map(({ jid, t }): Node => ['user', { jid, t: String(t) }, null]);
    return users.length === 0 ? [] : [[name, null, users]];
  };
  return ['response', { type: 'message_info' }, [...list('read', (r) => r.read), ...list('delivery', (r) => r.delivered)]];
}

/**
 * `query message_info`: 404 unless `index` is an own message of chat `jid`.
 * @example
 * ```ts
 * case 'message_info': return answerMessageInfo(context, connection, tag, attrs);
 * ```
 */
export function answerMessageInfo(context: SandboxContext, connection: WebConnection, tag: string, attrs: Record<string, string>): void {
  const account = context.world.requireAccount(connection.wid!);
  if (!attrs.index || !attrs.jid) return connection.sendJson(tag, { status: 400 }, phoneDelivery);
  const found = findStored(context, account, attrs.jid, attrs.index, true);
  if (!found) return connection.sendJson(tag, { status: 404 }, phoneDelivery);
  connection.sendNode(tag, messageInfoNode(found.message));
}

/** Which page of which search {@link searchNode} answers. */
export interface SearchQuery {
  /** The text to find (case-insensitive, anywhere in a text or caption). */
  text: string;
  /** Messages per page, 1–{@link MAX_SEARCH_COUNT}. */
  count: number;
  /** 1 for the newest matches, then 2, 3 … */
  page: number;
  /** Only this chat. */
  jid?: string;
}

/**
 * A page of search results: `["response",{"type":"search"[,"last":"true"]},[["message",null,
 * <WebMessageInfo>]…]]`, newest first over all chats (or chat `jid`); `last:"true"` on the page
 * that holds the final match (and on an empty one).
 * @example
 * ```ts
 * searchNode(account, { text: 'station', count: 10, page: 1 }, (path) => sandbox.media.urlOf(path));
 * ```
 */
export function searchNode(account: AccountData, query: SearchQuery, mediaUrl?: MediaUrlOf): Node {
  const needle = query.text.toLowerCase();
  const chats = query.jid === undefined ? account.chats : account.chats.filter((chat) => chat.jid === query.jid);
  const matches: Array<{ chat: ChatData; message: MessageData }> = [];
  for (const chat of chats) {
    for (const message of chat.messages) {
      if (searchableText(message)?.toLowerCase().includes(needle)) matches.push({ chat, message });
    }
  }
  // Newest first; within one second, the later stored first.
  matches.reverse().sort((a, b) => b.message.t - a.message.t);
  const start = (query.page - 1) * query.count;
  const page = matches.slice(start, start + query.count);
  const attrs: Record<string, string> = start + query.count >= matches.length ? { type: 'search', last: 'true' } : { type: 'search' };
  return ['response', attrs, page.map(({ chat, message }) => messageNode(message, chat.jid, mediaUrl))];
}

/**
 * `query search`: 400 for an empty `search`, or a `count`/`page` that is not a positive whole
 * number; a `count` above {@link MAX_SEARCH_COUNT} is cut to it.
 * @example
 * ```ts
 * case 'search': return answerSearch(context, connection, tag, attrs);
 * ```
 */
export function answerSearch(context: SandboxContext, connection: WebConnection, tag: string, attrs: Record<string, string>): void {
  const account = context.world.requireAccount(connection.wid!);
  const count = positive(attrs.count);
  const page = positive(attrs.page ?? '1');
  if (!attrs.search || count === undefined || page === undefined) return connection.sendJson(tag, { status: 400 }, phoneDelivery);
  const query: SearchQuery = { text: attrs.search, count: Math.min(count, MAX_SEARCH_COUNT), page };
  if (attrs.jid) query.jid = normalizeJid(attrs.jid);
  connection.sendNode(tag, searchNode(account, query, (path) => context.media.urlOf(path)));
}

/**
 * `query media`: `["media",{"code":"200","url","directPath"},null]`, the current location of the
 * message's blob (public clients copy these attributes into the media message; Baileys 2.3.1
 * refuses an answer without `code` 200). 400 when the message has no media, 404 when the account
 * has no such message or the blob is gone.
 * @example
 * ```ts
 * case 'media': return answerMediaRefresh(context, connection, tag, attrs);
 * ```
 */
export function answerMediaRefresh(context: SandboxContext, connection: WebConnection, tag: string, attrs: Record<string, string>): void {
  const account = context.world.requireAccount(connection.wid!);
  if (!attrs.index || !attrs.jid) return connection.sendJson(tag, { status: 400 }, phoneDelivery);
  const owner = attrs.owner === 'true' ? true : attrs.owner === 'false' ? false : undefined;
  const found = findStored(context, account, attrs.jid, attrs.index, owner);
  if (!found) return connection.sendJson(tag, { status: 404 }, phoneDelivery);
  const location = mediaLocation(found.message);
  if (location === undefined) return connection.sendJson(tag, { status: 400 }, phoneDelivery);
  const fresh = context.media.refresh(location);
  if (!fresh) return connection.sendJson(tag, { status: 404 }, phoneDelivery);
  connection.sendNode(tag, ['media', { code: '200', url: fresh.url, directPath: fresh.directPath }, null]);
}

/** A stored message of chat `jid` by id (and, when given, whether it is one's own). */
function findStored(context: SandboxContext, account: AccountData, jid: string, id: string, fromMe: boolean | undefined): { chat: ChatData; message: MessageData } | undefined {
  const chatJid = normalizeJid(jid);
  const matches = (message: MessageData): boolean => message.id === id && (fromMe === undefined || message.fromMe === fromMe);
  const indexed = context.world.findMessage(account, id);
  if (indexed && indexed.chat.jid === chatJid && matches(indexed.message)) return indexed;
  const chat = context.world.chat(account, chatJid);
  const message = chat?.messages.find(matches);
  return chat && message ? { chat, message } : undefined;
}

/** A positive whole number written in decimal, else `undefined`. */
function positive(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  const number = Number(value);
  return number >= 1 ? number : undefined;
}

/** The decoded `Message` of a stored message (`undefined` for a plain made-up text or bytes that do not decode). */
function contentOf(message: MessageData): Record<string, unknown> | undefined {
  try {
    if (message.raw !== undefined) return decodeWebMessageInfo(fromBase64(message.raw)).message as Record<string, unknown> | undefined;
    if (message.content !== undefined) return decodeMessage(fromBase64(message.content)) as unknown as Record<string, unknown>;
  } catch {
    // A stored message that does not decode has nothing to search or refresh.
  }
  return undefined;
}

/**
 * Searchable text of messages without `text` (captions), decoded once per stored content: the
 * entry remembers which `raw`/`content` it was read from, so a message changed in place (revoked,
 * updated) is read again.
 */
const captions = new WeakMap<MessageData, { from: string | undefined; caption: string | undefined }>();

/** The text or caption of a stored message, if it has one. */
function searchableText(message: MessageData): string | undefined {
  if (message.text !== undefined) return message.text;
  const from = message.raw ?? message.content;
  const cached = captions.get(message);
  if (cached !== undefined && cached.from === from) return cached.caption;
  const content = contentOf(message);
  const text = content?.conversation ?? (content?.extendedTextMessage as { text?: unknown } | undefined)?.text;
  const media = (content?.imageMessage ?? content?.videoMessage) as { caption?: unknown } | undefined;
  const caption = typeof text === 'string' ? text : typeof media?.caption === 'string' ? media.caption : undefined;
  captions.set(message, { from, caption });
  return caption;
}

/** The direct path (else URL) of a stored media message's blob. */
function mediaLocation(message: MessageData): string | undefined {
  const content = contentOf(message);
  if (!content) return undefined;
  for (const [field, value] of Object.entries(content)) {
    if (!field.endsWith('Message') || typeof value !== 'object' || value === null) continue;
    const media = value as { url?: unknown; directPath?: unknown };
    if (typeof media.directPath === 'string') return media.directPath;
    if (typeof media.url === 'string') return media.url;
  }
  return undefined;
}
