/**
 * Sending any message kind: the general {@link sendMessage} taking any `Message` content, and the
 * typed helpers for locations, live locations, contact cards and forwards.
 * @module
 */
import {
  encodeMessage,
  type Message,
  type MessageInput,
  type QuotedMessage,
  type WebMessageInfo,
  type WebMessageInfoInput,
} from '@wa/proto';
import type { ClientContext } from './context.js';
import { InvalidArgumentError } from './errors.js';
import { checkJid, checkMentions, toProtoJid } from './jid.js';
import { messageIdOf, quotedOf, relayMessage, type SentMessage } from './messaging.js';
import { requireSendable } from './send-queue.js';
import type { MessageEvent } from './types.js';
import {
  contactContent,
  forwardContent,
  liveLocationContent,
  locationContent,
  withContextInfo,
  type LiveLocationOptions,
  type LocationOptions,
} from './message-content.js';
import type { ContactCard } from './message-details.js';

/** A live location share in progress: what {@link WAClient.updateLiveLocation} moves. */
export interface LiveLocationShare {
  chat: string;
  /** Id of the message that opened the share. */
  id: string;
  /** The last message's `sequenceNumber` (1 for the first). */
  sequenceNumber: number;
  /** Unix seconds when the share started (`timeOffset` counts from here). */
  startedAt: number;
  /** The last message of the share. */
  sent: SentMessage;
}

/** Options of {@link WAClient.sendMessage} and the typed helpers built on it. */
export interface SendMessageOptions {
  /** The message this one replies to, as for `sendText`. In groups the quote carries the group (`contextInfo.remoteJid`). */
  quoted?: WebMessageInfo | QuotedMessage;
  /** Mentioned users (`…@c.us`). */
  mentions?: readonly string[];
  /** The message id, as for `sendText`. Default: a fresh one. */
  id?: string;
}

/**
 * See {@link WAClient.sendMessage}.
 * @example
 * ```ts
 * await sendMessage(context, '15550100002@c.us', { locationMessage: { degreesLatitude: 1, degreesLongitude: 2 } }, {});
 * ```
 */
export async function sendMessage(context: ClientContext, jid: string, content: MessageInput, options: SendMessageOptions = {}): Promise<SentMessage> {
  const chat = checkJid(jid);
  if (typeof content !== 'object' || content === null || Array.isArray(content) || Object.keys(content).length === 0) {
    throw new InvalidArgumentError('content must be a Message object such as { conversation: "hi" } or { locationMessage: { … } }');
  }
  const mentions = checkMentions(options.mentions);
  const id = messageIdOf(options.id);
  requireSendable(context);
  let message = content;
  const quoted = options.quoted === undefined ? undefined : quotedOf(context, options.quoted);
  if (quoted !== undefined || mentions.length > 0) {
    message = withContextInfo(message, {
      ...(quoted && { stanzaId: quoted.id, participant: quoted.participant, quotedMessage: quoted.message }),
      ...(quoted?.remoteJid !== undefined && { remoteJid: quoted.remoteJid }),
      ...(mentions.length > 0 && { mentionedJid: mentions }),
    });
  }
  try {
    encodeMessage(message);
  } catch (error) {
    throw new InvalidArgumentError(`content is not a valid Message: ${(error as Error).message}`);
  }
  const input: WebMessageInfoInput = {
    key: { remoteJid: toProtoJid(chat), fromMe: true, id },
    message,
    messageTimestamp: Math.floor(Date.now() / 1000),
    status: 'PENDING',
  };
  return relayMessage(context, chat, input);
}

/**
 * See {@link WAClient.sendLocation}.
 * @example
 * ```ts
 * await sendLocation(context, chat, { latitude: 52.5163, longitude: 13.3777 }, {});
 * ```
 */
export async function sendLocation(context: ClientContext, jid: string, location: LocationOptions, options: SendMessageOptions = {}): Promise<SentMessage> {
  return sendMessage(context, jid, locationContent(location), options);
}

/**
 * See {@link WAClient.sendContact}.
 * @example
 * ```ts
 * await sendContact(context, chat, vcard, {});
 * ```
 */
export async function sendContact(
  context: ClientContext,
  jid: string,
  cards: string | ContactCard | readonly (string | ContactCard)[],
  options: SendMessageOptions = {},
): Promise<SentMessage> {
  return sendMessage(context, jid, contactContent(cards), options);
}

/**
 * See {@link WAClient.forwardMessage}.
 * @example
 * ```ts
 * await forwardMessage(context, chat, event.info, {});
 * ```
 */
export async function forwardMessage(context: ClientContext, jid: string, message: WebMessageInfo | MessageEvent | Message, options: { id?: string } = {}): Promise<SentMessage> {
  return sendMessage(context, jid, forwardContent(message), options.id === undefined ? {} : { id: options.id });
}

/**
 * See {@link WAClient.sendLiveLocation}.
 * @example
 * ```ts
 * const share = await sendLiveLocation(context, chat, { latitude: 52.52, longitude: 13.4 }, {});
 * ```
 */
export async function sendLiveLocation(context: ClientContext, jid: string, position: LiveLocationOptions, options: SendMessageOptions = {}): Promise<LiveLocationShare> {
  const chat = checkJid(jid);
  const startedAt = Math.floor(Date.now() / 1000);
  const sent = await sendMessage(context, chat, liveLocationContent(position, 1, 0), options);
  return { chat, id: sent.id, sequenceNumber: 1, startedAt, sent };
}

/**
 * See {@link WAClient.updateLiveLocation}.
 * @example
 * ```ts
 * const moved = await updateLiveLocation(context, share, { latitude: 52.53, longitude: 13.41 });
 * ```
 */
export async function updateLiveLocation(context: ClientContext, share: LiveLocationShare, position: LiveLocationOptions): Promise<LiveLocationShare> {
  if (typeof share !== 'object' || share === null || !Number.isSafeInteger(share.sequenceNumber) || !Number.isSafeInteger(share.startedAt)) {
    throw new InvalidArgumentError('share must be what sendLiveLocation or updateLiveLocation returned');
  }
  const sequenceNumber = share.sequenceNumber + 1;
  const timeOffset = Math.max(0, Math.floor(Date.now() / 1000) - share.startedAt);
  const sent = await sendMessage(context, share.chat, liveLocationContent(position, sequenceNumber, timeOffset), {});
  return { ...share, sequenceNumber, sent };
}
