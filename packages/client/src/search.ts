/**
 * Text search over the account's messages, on the phone:
 * `["query",{"type":"search","search":<text>,"count","page","jid"?,"epoch"},null]` (metric 24),
 * answered with `["response",{"type":"search"[,"last":"true"]},[["message",null,<WebMessageInfo>]…]]`,
 * newest first. See docs/protocol/queries.md.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { Flag } from '@wa/transport';
import { nextEpoch, report, type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { checkJid } from './jid.js';
import { messageEvent, messagesFromNode, type MessagesOfNode } from './nodes.js';
import { sendNode, statusOfReply } from './outgoing.js';
import type { MessageEvent } from './types.js';
import { whenRequestable } from './send-queue.js';

/** The metric byte of `query search`. */
export const METRIC_SEARCH = 24;

/** Longest search text, in characters. */
export const MAX_SEARCH_TEXT = 1024;

/** Options of {@link WAClient.searchMessages}. */
export interface SearchMessagesOptions {
  /** Only this chat. Default: all chats. */
  jid?: string;
  /** Results per page (1–300). Default 20. */
  count?: number;
  /** Which page, from 1 (the newest matches). Default 1. */
  page?: number;
}

/** What {@link WAClient.searchMessages} resolves with. */
export interface SearchResult {
  /** The matches on this page, newest first (`source: 'search'`). */
  messages: MessageEvent[];
  /** Whether this is the final page (`last:"true"`). */
  last: boolean;
}

/**
 * See {@link WAClient.searchMessages}.
 * @example
 * ```ts
 * const { messages, last } = await searchMessages(context, 'station', { count: 10 });
 * ```
 */
export async function searchMessages(context: ClientContext, text: string, options: SearchMessagesOptions = {}): Promise<SearchResult> {
  if (typeof text !== 'string' || text.trim().length === 0) throw new InvalidArgumentError('the search text must be a non-empty string');
  if (text.length > MAX_SEARCH_TEXT) throw new InvalidArgumentError(`the search text must be at most ${MAX_SEARCH_TEXT} characters`);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be { jid?, count?, page? }');
  const count = options.count ?? 20;
  if (!Number.isSafeInteger(count) || count < 1 || count > 300) throw new InvalidArgumentError('count must be an integer from 1 to 300');
  const page = options.page ?? 1;
  if (!Number.isSafeInteger(page) || page < 1) throw new InvalidArgumentError('page must be an integer from 1');
  const attrs: Record<string, string> = { type: 'search', search: text, count: String(count), page: String(page) };
  if (options.jid !== undefined) attrs.jid = checkJid(options.jid);
  await whenRequestable(context);
  attrs.epoch = nextEpoch(context);
  const tag = context.connection.nextTag();
  let decoded: MessagesOfNode | undefined;
  const isAnswer = (node: Node): boolean => {
    if (node[0] !== 'response' || (node[1]?.type !== undefined && node[1].type !== 'search')) return false;
    decoded = messagesFromNode(node, tag);
    return true;
  };
  const reply = await sendNode(context, tag, ['query', attrs, null], METRIC_SEARCH, Flag.ignore, isAnswer);
  if (reply.kind !== 'node' || decoded === undefined) {
    const status = statusOfReply(reply);
    throw new RequestError(`searchMessages was answered with status ${status}`, status);
  }
  for (const error of decoded.errors) report(context, error);
  return { messages: decoded.messages.map((info) => messageEvent(info, 'search', context.me?.wid)), last: reply.node[1]?.last === 'true' };
}
