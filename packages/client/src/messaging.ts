/**
 * Sending text messages and read receipts: sealed `action` nodes whose answer is a status.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { decodeWebMessageInfo, encodeWebMessageInfo, generateMessageId, textMessage, type QuotedMessage, type WebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import { Flag, Metric } from '@wa/transport';
import { nextEpoch, requireOpen, type ClientContext } from './context.js';
import { InvalidArgumentError, RequestError } from './errors.js';
import { checkJid, checkMentions, toChatJid, toProtoJid } from './jid.js';
import { messageEvent } from './nodes.js';
import { expectOk, sendNode, statusOfReply } from './outgoing.js';

/** Options of {@link WAClient.sendText}. */
export interface SendTextOptions {
  /** The message this one replies to: a received `WebMessageInfo` (e.g. `event.info`) or its id and author. */
  quoted?: WebMessageInfo | QuotedMessage;
  /** Mentioned users (`…@c.us`); the text should contain `@<number>` for each. */
  mentions?: readonly string[];
}

/** What {@link WAClient.sendText} resolves with once the server acknowledged the message. */
export interface SentMessage {
  /** The message id (also the frame's tag): `3EB0` + 16 hex digits. */
  id: string;
  chat: string;
  /** `SERVER_ACK`: the server has it. `receipt` events follow for delivery and reading. */
  status: 'SERVER_ACK';
  /** Unix seconds. */
  timestamp: number;
  /** The message as sent. */
  info: WebMessageInfo;
}

/** Options of {@link WAClient.markRead}. */
export interface MarkReadOptions {
  /** Whether the message is one this account sent. Default `false`. */
  fromMe?: boolean;
  /** How many messages the read covers. Default 1. */
  count?: number;
}

/**
 * See {@link WAClient.sendText}.
 * @example
 * ```ts
 * const sent = await sendText(context, '15550100002@c.us', 'See you at 10!', {});
 * ```
 */
export async function sendText(context: ClientContext, jid: string, text: string, options: SendTextOptions): Promise<SentMessage> {
  const chat = checkJid(jid);
  if (typeof text !== 'string' || text.length === 0) throw new InvalidArgumentError('text must be a non-empty string');
  const mentions = checkMentions(options.mentions);
  requireOpen(context);
  const id = generateMessageId();
  const timestamp = Math.floor(Date.now() / 1000);
  const input = textMessage({
    remoteJid: toProtoJid(chat),
    fromMe: true,
    id,
    text,
    timestamp,
    status: 'PENDING',
    ...(options.quoted !== undefined && { quoted: quotedOf(context, options.quoted) }),
    ...(mentions.length > 0 && { mentions }),
  });
  return relayMessage(context, chat, input);
}

/**
 * Relays a message this account wrote (`action relay`, metric `message`) and resolves once the
 * server answered `{"status":200}` under its id; adds it to the store as `SERVER_ACK`. Texts and
 * media go through here, so both get the same acks.
 * @throws RequestError for another status; see {@link sendNode}.
 * @example
 * ```ts
 * const sent = await relayMessage(context, chat, textMessage({ remoteJid, fromMe: true, id, text, timestamp }));
 * ```
 */
export async function relayMessage(context: ClientContext, chat: string, input: WebMessageInfoInput): Promise<SentMessage> {
  const id = input.key?.id;
  if (typeof id !== 'string') throw new InvalidArgumentError('a relayed message needs key.id');
  const timestamp = Number(input.messageTimestamp);
  const bytes = encodeWebMessageInfo(input);
  const node: Node = ['action', { epoch: nextEpoch(context), type: 'relay' }, [['message', null, bytes]]];
  // A message to oneself asks for an ack instead of being flagged ignore, as the web client did.
  const flag = chat === context.me?.wid ? Flag.ackRequest : Flag.ignore;
  const status = statusOfReply(await sendNode(context, id, node, Metric.message, flag, 'status'));
  if (status !== 200) throw new RequestError(`the server did not accept message ${id}`, status);
  const info: WebMessageInfo = { ...decodeWebMessageInfo(bytes), status: 'SERVER_ACK' };
  if (context.store.addMessage(messageEvent(info, 'relay', context.me?.wid))) context.emit('chats', context.store.chats());
  context.logger.info('message sent', { id });
  return { id, chat, status: 'SERVER_ACK', timestamp, info };
}

/**
 * See {@link WAClient.markRead}.
 * @example
 * ```ts
 * await markRead(context, '15550100002@c.us', messageId, {});
 * ```
 */
export async function markRead(context: ClientContext, jid: string, messageId: string, options: MarkReadOptions): Promise<void> {
  const chat = checkJid(jid);
  if (typeof messageId !== 'string' || messageId.length === 0) throw new InvalidArgumentError('messageId must be a non-empty string');
  const count = options.count ?? 1;
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidArgumentError('count must be a positive integer');
  requireOpen(context);
  const attrs = { jid: chat, index: messageId, owner: options.fromMe === true ? 'true' : 'false', count: String(count) };
  const node: Node = ['action', { type: 'set', epoch: nextEpoch(context) }, [['read', attrs, null]]];
  expectOk(statusOfReply(await sendNode(context, context.connection.nextTag(), node, Metric.read, Flag.ignore, 'status')), 'markRead');
  if (context.store.markRead(chat)) context.emit('chats', context.store.chats());
}

/**
 * The quote of a reply: taken as is, or built from a received message's key and content.
 * @throws InvalidArgumentError when the message has no id or no known author.
 * @example
 * ```ts
 * const quoted = quotedOf(context, event.info); // { id, participant, message }
 * ```
 */
export function quotedOf(context: ClientContext, quoted: WebMessageInfo | QuotedMessage): QuotedMessage {
  if (!('key' in quoted)) return quoted;
  const id = quoted.key.id;
  if (id === undefined) throw new InvalidArgumentError('the quoted message has no key.id');
  const author = quoted.key.fromMe ? context.me?.wid : (quoted.key.participant ?? quoted.participant ?? quoted.key.remoteJid);
  if (author === undefined) throw new InvalidArgumentError('cannot tell who wrote the quoted message');
  const result: QuotedMessage = { id, participant: toProtoJid(toChatJid(author)) };
  if (quoted.message !== undefined) result.message = quoted.message;
  return result;
}
