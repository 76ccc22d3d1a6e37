/**
 * Sending text messages and read receipts: sealed `action` nodes whose answer is a status.
 * @module
 */
import type { Node } from '@wa/binary-codec';
import { decodeWebMessageInfo, encodeWebMessageInfo, generateMessageId, textMessage, type QuotedMessage, type WebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import { Flag, Metric, RequestTimeoutError } from '@wa/transport';
import { nextEpoch, type ClientContext } from './context.js';
import { ClientClosedError, DisconnectedError, InvalidArgumentError, NotLoggedInError, RequestError, SendError } from './errors.js';
import { checkJid, checkMentions, isGroupJid, toChatJid, toProtoJid } from './jid.js';
import { addLinkPreview, type LinkPreview } from './link-preview.js';
import { withChatEphemeral } from './disappearing-messages.js';
import { messageEvent } from './nodes.js';
import { sendNode, setAction, statusOfReply } from './outgoing.js';
import { requireSendable, type SendFailure, whenRequestable, whenSessionOpen } from './send-queue.js';

/** Options of {@link WAClient.sendText}. */
export interface SendTextOptions {
  /** The message this one replies to: a received `WebMessageInfo` (e.g. `event.info`) or its id and author. */
  quoted?: WebMessageInfo | QuotedMessage;
  /** Mentioned users (`…@c.us`); the text should contain `@<number>` for each. */
  mentions?: readonly string[];
  /**
   * The message id: `3EB0` followed by 16 upper-case hex digits (what the web client generated).
   * Pass the id of an earlier attempt (`SendError.id`, or one you stored before sending) to send
   * the message again without creating a duplicate: the server acknowledges a known id again and
   * delivers it once. Default: a fresh random id.
   */
  id?: string;
  /**
   * A link preview for the first link in the text: `true` asks the server (`query type:url`; no
   * link, no preview or a failed query: the text goes without one), or the preview to show.
   */
  linkPreview?: boolean | LinkPreview;
}

/** The shape of the message ids this client sends and accepts in `{ id }`: `3EB0` + 16 upper-case hex digits. */
export const MESSAGE_ID_PATTERN = /^3EB0[0-9A-F]{16}$/;

/**
 * The id of a new message: the caller's, checked, or a fresh one.
 * @throws InvalidArgumentError for an id of another shape.
 * @example
 * ```ts
 * messageIdOf(undefined);               // '3EB0…' (fresh)
 * messageIdOf('3EB0A1B2C3D4E5F60718');  // the same
 * ```
 */
export function messageIdOf(id: unknown): string {
  if (id === undefined) return generateMessageId();
  if (typeof id !== 'string' || !MESSAGE_ID_PATTERN.test(id)) {
    throw new InvalidArgumentError('id must be 3EB0 followed by 16 upper-case hex digits, e.g. the id of a SendError');
  }
  return id;
}

/**
 * The {@link SendFailure} of message `id`: its errors carry the id, the chat and a `retry` that
 * sends the same message again.
 * @example
 * ```ts
 * const fail = sendFailure(id, chat, () => relayMessage(context, chat, input), () => sent);
 * ```
 */
export function sendFailure(id: string, chat: string, retry: () => Promise<SentMessage>, maybeDelivered: () => boolean): SendFailure {
  return (code, message, cause) => new SendError(code, `message ${id}: ${message}`, { id, chat, maybeDelivered: maybeDelivered(), retry, cause });
}

/**
 * @throws InvalidArgumentError while a message with this id is being sent by this client.
 * @example
 * ```ts
 * claimMessageId(context, id);
 * ```
 */
export function claimMessageId(context: ClientContext, id: string): void {
  if (context.sendingIds.has(id)) throw new InvalidArgumentError(`message ${id} is already being sent`);
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
  const id = messageIdOf(options.id);
  requireSendable(context);
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
  if (options.linkPreview !== undefined && options.linkPreview !== false) return relayMessage(context, chat, await addLinkPreview(context, input, text, options.linkPreview));
  return relayMessage(context, chat, input);
}

/**
 * Relays a message this account wrote (`action relay`, metric `message`) and resolves once the
 * server answered `{"status":200}` under its id; adds it to the store as `SERVER_ACK`. Texts and
 * media go through here, so both get the same acks. While the client reconnects by itself the
 * message waits in the send queue, and a message whose socket dropped before its ack waits there
 * and is sent again under the same id (the server acknowledges a known id again and delivers
 * it once).
 * @throws SendError (`SEND_TIMEOUT`, `SEND_QUEUE_FULL`, `SEND_QUEUE_TIMEOUT`, `SEND_INTERRUPTED`;
 * with `retry()`), RequestError for another status, InvalidArgumentError while a message with the
 * same id is being sent, NotLoggedInError/ClientClosedError when nothing was sent.
 * @example
 * ```ts
 * const sent = await relayMessage(context, chat, textMessage({ remoteJid, fromMe: true, id, text, timestamp }));
 * ```
 */
export async function relayMessage(context: ClientContext, chat: string, content: WebMessageInfoInput): Promise<SentMessage> {
  // Into a chat with disappearing messages on: wrapped in ephemeralMessage (once: a retry passes the wrapped input).
  const input = withChatEphemeral(context, chat, content);
  const id = input.key?.id;
  if (typeof id !== 'string') throw new InvalidArgumentError('a relayed message needs key.id');
  claimMessageId(context, id);
  const timestamp = Number(input.messageTimestamp);
  const bytes = encodeWebMessageInfo(input);
  let written = false;
  const fail = sendFailure(id, chat, () => relayMessage(context, chat, input), () => written);
  context.sendingIds.add(id);
  let status: number | undefined;
  try {
    for (;;) {
      try {
        await whenSessionOpen(context, fail);
      } catch (error) {
        // A message that went out once is the caller's to retry: tell it so, with its id.
        if (written && !(error instanceof SendError)) throw fail('SEND_INTERRUPTED', 'the session ended before the ack', error);
        throw error;
      }
      const node: Node = ['action', { epoch: nextEpoch(context), type: 'relay' }, [['message', null, bytes]]];
      // A message to oneself asks for an ack instead of being flagged ignore, as the web client did.
      const flag = chat === context.me?.wid ? Flag.ackRequest : Flag.ignore;
      try {
        // The frame is written before sendNode's first await.
        const reply = sendNode(context, id, node, Metric.message, flag, 'status');
        written = true;
        status = statusOfReply(await reply);
        break;
      } catch (error) {
        const lost = error instanceof DisconnectedError || error instanceof NotLoggedInError;
        if (lost && context.resume !== undefined && !context.closedByUser) {
          context.logger.info('the connection dropped before the ack: the message waits for the session', { id });
          continue;
        }
        if (error instanceof RequestTimeoutError) throw fail('SEND_TIMEOUT', `no ack within ${error.timeoutMs} ms (the server may have it: retry with the same id)`, error);
        if (lost || error instanceof ClientClosedError) throw fail('SEND_INTERRUPTED', 'the session ended before the ack', error);
        throw error;
      }
    }
  } finally {
    context.sendingIds.delete(id);
  }
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
  await whenRequestable(context);
  const attrs = { jid: chat, index: messageId, owner: options.fromMe === true ? 'true' : 'false', count: String(count) };
  await setAction(context, ['read', attrs, null], Metric.read, Flag.ignore, 'markRead');
  const changed = context.store.markRead(chat);
  context.emit('chat-update', { jid: chat, action: 'read', changes: { unreadCount: 0 }, source: 'self' });
  if (changed) context.emit('chats', context.store.chats());
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
  // A quote in a group names the group too, as the web client did.
  if (quoted.key.remoteJid !== undefined && isGroupJid(toChatJid(quoted.key.remoteJid))) result.remoteJid = quoted.key.remoteJid;
  return result;
}
