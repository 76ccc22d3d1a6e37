/**
 * Chat history: one page backwards or forwards (`["query",{"type":"message","jid","kind":
 * "before"|"after","count","index","owner","epoch"},null]`, metric 7, answered with
 * `["action",{"add":"before"|"after"[,"last":"true"]},[messages]]`), and a whole chat walked
 * backwards page by page with progress. See docs/protocol/queries.md.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { Flag, Metric } from '@wa/transport';
import { nextEpoch, report, type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { checkJid, toChatJid } from './jid.js';
import { messageEvent, messagesFromNode, type MessagesOfNode } from './nodes.js';
import { sendNode, statusOfReply } from './outgoing.js';
import type { MessageEvent } from './types.js';
import { whenRequestable } from './send-queue.js';

/** Options of {@link WAClient.loadMessages}. */
export interface LoadMessagesOptions {
  /** How many messages (1–300). Default 20. */
  count?: number;
  /** Load the messages before this one (its id); default: the latest. */
  before?: string;
  /** Whether `before` is a message this account sent. Default `false`. */
  beforeFromMe?: boolean;
  /** Load the messages after this one (its id), oldest first (`kind:"after"`); not with `before`. */
  after?: string;
  /** Whether `after` is a message this account sent. Default `false`. */
  afterFromMe?: boolean;
}

/** What {@link WAClient.loadMessages} resolves with. */
export interface LoadedMessages {
  /** Oldest first. */
  messages: MessageEvent[];
  /** Whether the page reaches the start of the chat (pages backwards, `last:"true"`). */
  reachedStart: boolean;
  /** Whether the page reaches the newest message (an `after` page with `last:"true"`, or a page of the latest messages). */
  reachedEnd: boolean;
}

/** Progress of {@link WAClient.loadAllMessages}, after each page. */
export interface HistoryProgress {
  /** Messages loaded so far (each counted once). */
  loaded: number;
  /** Pages asked for so far. */
  pages: number;
}

/** Options of {@link WAClient.loadAllMessages}. */
export interface LoadAllMessagesOptions {
  /** Messages per page (1–300). Default 100. */
  pageSize?: number;
  /** Called after every page. */
  onProgress?: (progress: HistoryProgress) => void;
  /** Stops the walk before the next page (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Stops once this many messages are loaded (`complete: false`). Default {@link MAX_HISTORY_MESSAGES}. */
  maxMessages?: number;
}

/** The default bound of {@link WAClient.loadAllMessages}: no walk holds more messages than this. */
export const MAX_HISTORY_MESSAGES = 100_000;

/** What {@link WAClient.loadAllMessages} resolves with. */
export interface AllMessages {
  /** The whole chat, oldest first, each message once. */
  messages: MessageEvent[];
  /** Pages asked for. */
  pages: number;
  /**
   * Whether the server said the start of the chat was reached (`last:"true"`); `false` when the
   * walk stopped because a page came back empty or brought nothing new (a server that never says
   * `last`), or at `maxMessages`.
   */
  complete: boolean;
}

/**
 * See {@link WAClient.loadMessages}.
 * @example
 * ```ts
 * const page = await loadMessages(context, '15550100002@c.us', { count: 50 });
 * const newer = await loadMessages(context, '15550100002@c.us', { after: page.messages[0]!.id });
 * ```
 */
export async function loadMessages(context: ClientContext, jid: string, options: LoadMessagesOptions): Promise<LoadedMessages> {
  const chat = checkJid(jid);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  const count = options.count ?? 20;
  if (!Number.isSafeInteger(count) || count < 1 || count > 300) throw new InvalidArgumentError('count must be an integer from 1 to 300');
  for (const name of ['before', 'after'] as const) {
    const id = options[name];
    if (id !== undefined && (typeof id !== 'string' || id.length === 0)) throw new InvalidArgumentError(`${name} must be a message id`);
  }
  if (options.before !== undefined && options.after !== undefined) throw new InvalidArgumentError('give before or after, not both');
  await whenRequestable(context);
  const kind = options.after !== undefined ? 'after' : 'before';
  const attrs: Record<string, string> = { type: 'message', epoch: nextEpoch(context), jid: chat, kind, count: String(count) };
  const index = kind === 'after' ? options.after : options.before;
  if (index !== undefined) {
    attrs.index = index;
    attrs.owner = (kind === 'after' ? options.afterFromMe : options.beforeFromMe) === true ? 'true' : 'false';
  }
  const tag = context.connection.nextTag();
  // The page is `action add:<kind>` of this chat; one of another chat under this tag is a push
  // (older history the server sends on its own). Decoded once, here.
  let page: MessagesOfNode | undefined;
  const isPage = (node: Node): boolean => {
    if (node[0] !== 'action' || node[1]?.add !== kind) return false;
    const decoded = messagesFromNode(node, tag);
    if (decoded.messages.some(({ key }) => key.remoteJid !== undefined && toChatJid(key.remoteJid) !== chat)) return false;
    page = decoded;
    return true;
  };
  const reply = await sendNode(context, tag, ['query', attrs, null], Metric.queryMessages, Flag.ignore, isPage);
  if (reply.kind !== 'node' || page === undefined) throw new RequestError(`no history for ${chat}`, statusOfReply(reply));
  const { messages, errors } = page;
  for (const error of errors) report(context, error);
  const events = messages.map((info) => messageEvent(info, kind, context.me?.wid));
  for (const event of events) context.store.addMessage(event);
  const last = reply.node[1]?.last === 'true';
  return { messages: events, reachedStart: kind === 'before' && last, reachedEnd: kind === 'after' ? last : index === undefined };
}

/**
 * See {@link WAClient.loadAllMessages}.
 * @example
 * ```ts
 * const { messages } = await loadAllMessages(context, '15550100002@c.us', { onProgress: console.log });
 * ```
 */
export async function loadAllMessages(context: ClientContext, jid: string, options: LoadAllMessagesOptions = {}): Promise<AllMessages> {
  const chat = checkJid(jid);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object');
  const pageSize = options.pageSize ?? 100;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 300) throw new InvalidArgumentError('pageSize must be an integer from 1 to 300');
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new InvalidArgumentError('onProgress must be a function');
  const maxMessages = options.maxMessages ?? MAX_HISTORY_MESSAGES;
  if (!Number.isSafeInteger(maxMessages) || maxMessages < 1) throw new InvalidArgumentError('maxMessages must be a positive integer');
  const { signal } = options;
  const seen = new Set<string>();
  /** Pages newest first; each page oldest first. */
  const pages: MessageEvent[][] = [];
  let cursor: { id: string; fromMe: boolean } | undefined;
  let complete = false;
  let loaded = 0;
  for (;;) {
    signal?.throwIfAborted();
    const request: LoadMessagesOptions = { count: pageSize };
    if (cursor) {
      request.before = cursor.id;
      request.beforeFromMe = cursor.fromMe;
    }
    const page = await loadMessages(context, chat, request);
    // A message is new unless it was on an earlier page: a server that answers the same page again ends the walk.
    const fresh = page.messages.filter((event) => {
      const key = `${event.fromMe ? 1 : 0}:${event.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    pages.push(fresh);
    loaded += fresh.length;
    options.onProgress?.({ loaded, pages: pages.length });
    if (page.reachedStart) complete = true;
    const oldest = page.messages[0];
    if (complete || fresh.length === 0 || oldest === undefined || loaded >= maxMessages) break;
    cursor = { id: oldest.id, fromMe: oldest.fromMe };
  }
  return { messages: pages.reverse().flat(), pages: pages.length, complete };
}
