/**
 * Message kinds beyond text and media (FACTS.md "Field numbers", "Message kinds beyond FACTS'
 * table"): content builders for location, live location, contact cards, forwards and any other
 * `Message`, the general {@link sendMessage}, disappearing messages (the `ephemeralMessage`
 * wrapper with `contextInfo.expiration`), and what a received message is ({@link describeMessage}:
 * kind, quote, mentions, forwarding, expiration) for the `message` event.
 * @module
 */
import {
  encodeMessage,
  messageText,
  type ContextInfo,
  type ContextInfoInput,
  type Message,
  type MessageInput,
  type QuotedMessage,
  type WebMessageInfo,
  type WebMessageInfoInput,
} from '@wa/proto';
import type { ClientContext } from './context.js';
import { InvalidArgumentError } from './errors.js';
import { checkJid, checkMentions, isGroupJid, toChatJid, toProtoJid } from './jid.js';
import { messageIdOf, quotedOf, relayMessage, type SentMessage } from './messaging.js';
import { requireSendable } from './send-queue.js';
import type { MessageEvent } from './types.js';

/** What a message is, by the field of `Message` it carries (after unwrapping `ephemeralMessage`). */
export type MessageKind =
  | 'text'
  | 'image'
  | 'video'
  | 'audio'
  | 'document'
  | 'sticker'
  | 'location'
  | 'liveLocation'
  | 'contact'
  | 'contacts'
  | 'groupInvite'
  /** `protocolMessage` REVOKE: "delete for everyone" of another message (`revokedId`). */
  | 'revoke'
  /** `protocolMessage` EPHEMERAL_SETTING: the chat's disappearing-messages timer changed. */
  | 'ephemeralSetting'
  /** Another `protocolMessage` type. */
  | 'protocol'
  /** A system entry without content (`messageStubType`, e.g. `REVOKE`: "This message was deleted"). */
  | 'stub'
  /** Content this library does not declare (kept as unknown fields) or none at all. */
  | 'unknown';

/** The message a reply quotes (`contextInfo.stanzaId`, `participant`, `quotedMessage`, `remoteJid`). */
export interface QuoteInfo {
  /** Id of the quoted message. */
  id: string;
  /** Its author (`…@c.us`), when given. */
  participant?: string;
  /** Its chat, when given (quotes in groups carry it). */
  chat?: string;
  /** The quoted content's kind, when the quote carries it. */
  kind?: MessageKind;
  /** The quoted text or caption, when it has one. */
  text?: string;
  /** The quoted content. */
  message?: Message;
}

/** A location or live location in a `message` event. */
export interface LocationInfo {
  latitude: number;
  longitude: number;
  /** A live location (`liveLocationMessage`), which later messages move. */
  live: boolean;
  name?: string;
  address?: string;
  url?: string;
  /** `comment` of a location, `caption` of a live location. */
  comment?: string;
  accuracyInMeters?: number;
  /** Live only: grows with each update of one share. */
  sequenceNumber?: number;
}

/** A contact card in a `message` event. */
export interface ContactCard {
  /** The card in vCard 3.0 text (`BEGIN:VCARD` … `END:VCARD`). */
  vcard: string;
  /** The name shown; taken from the card's `FN:` line when left out. */
  displayName?: string;
}

/** What {@link describeMessage} reads off a message: the parts of a `message` event beyond its text. */
export interface MessageDetails {
  kind: MessageKind;
  /** The quoted message of a reply. */
  quote?: QuoteInfo;
  /** Mentioned users (`…@c.us`). */
  mentions?: string[];
  /** Whether the message was forwarded (`contextInfo.isForwarded`). */
  forwarded?: boolean;
  /** How many times it was forwarded (`contextInfo.forwardingScore`). */
  forwardingScore?: number;
  /** Sent into a chat with disappearing messages on (`ephemeralMessage` wrapper). */
  ephemeral?: boolean;
  /** The disappearing-messages timer in seconds (`contextInfo.expiration`, or the new timer of an `ephemeralSetting`). */
  expiration?: number;
  /** Starred by this account (`WebMessageInfo.starred`). */
  starred?: boolean;
  /** For a `stub`: its `messageStubType`, e.g. `REVOKE`. */
  stubType?: string;
  /** For a `revoke`: the id of the message deleted for everyone. */
  revokedId?: string;
  location?: LocationInfo;
  /** For `contact` (one) and `contacts` (several). */
  contacts?: ContactCard[];
}

/** The content fields of `Message` by kind. */
const kindOfField: Readonly<Record<string, MessageKind>> = /* @__PURE__ */ Object.freeze({
  conversation: 'text',
  extendedTextMessage: 'text',
  imageMessage: 'image',
  videoMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'liveLocation',
  contactMessage: 'contact',
  contactsArrayMessage: 'contacts',
  groupInviteMessage: 'groupInvite',
  protocolMessage: 'protocol',
});

/**
 * The content of a message with the `ephemeralMessage` wrapper taken off.
 * @example
 * ```ts
 * messageContent({ ephemeralMessage: { message: { conversation: 'hi' } } }); // { conversation: 'hi' }
 * ```
 */
export function messageContent(message: Message | undefined): Message | undefined {
  return message?.ephemeralMessage?.message ?? message;
}

/** The name of the content field a message carries (`conversation`, `imageMessage`, …). */
function contentField(message: Message): string | undefined {
  for (const key of Object.keys(message)) if (key in kindOfField) return key;
  return undefined;
}

/**
 * The kind of a message (a `WebMessageInfo`, or its `Message` content).
 * @example
 * ```ts
 * messageKind({ locationMessage: { degreesLatitude: 52.5, degreesLongitude: 13.4 } }); // 'location'
 * messageKind(event.info); // 'stub' for a message deleted for everyone
 * ```
 */
export function messageKind(source: WebMessageInfo | Message): MessageKind {
  const isInfo = 'key' in source && typeof source.key === 'object';
  const info = isInfo ? (source as WebMessageInfo) : undefined;
  const content = messageContent(info ? info.message : (source as Message));
  if (content === undefined) return info?.messageStubType !== undefined ? 'stub' : 'unknown';
  const field = contentField(content);
  if (field === undefined) return info?.messageStubType !== undefined ? 'stub' : 'unknown';
  if (field === 'protocolMessage') {
    const type = content.protocolMessage?.type;
    return type === 'REVOKE' ? 'revoke' : type === 'EPHEMERAL_SETTING' ? 'ephemeralSetting' : 'protocol';
  }
  return kindOfField[field]!;
}

/**
 * The `contextInfo` of a message's content (the quote, mentions, forwarding and expiration).
 * @example
 * ```ts
 * contextInfoOf(event.info.message)?.stanzaId;
 * ```
 */
export function contextInfoOf(message: Message | undefined): ContextInfo | undefined {
  const content = messageContent(message);
  if (content === undefined) return undefined;
  const field = contentField(content);
  if (field === undefined || field === 'conversation') return undefined;
  return (content[field as keyof Message] as { contextInfo?: ContextInfo } | undefined)?.contextInfo;
}

/**
 * The parts of a received message beyond its text: kind, quote, mentions, forwarding,
 * expiration, location and contact cards. {@link MessageEvent} carries them.
 * @example
 * ```ts
 * const { kind, quote, forwarded } = describeMessage(info);
 * ```
 */
export function describeMessage(info: WebMessageInfo): MessageDetails {
  const kind = messageKind(info);
  const details: MessageDetails = { kind };
  const message = info.message;
  const content = messageContent(message);
  if (message?.ephemeralMessage !== undefined) details.ephemeral = true;
  if (info.starred === true) details.starred = true;
  if (kind === 'stub' && info.messageStubType !== undefined) details.stubType = info.messageStubType;
  const context = contextInfoOf(message);
  if (context !== undefined) {
    if (context.stanzaId !== undefined) {
      const quote: QuoteInfo = { id: context.stanzaId };
      if (context.participant !== undefined) quote.participant = toChatJid(context.participant);
      if (context.remoteJid !== undefined) quote.chat = toChatJid(context.remoteJid);
      if (context.quotedMessage !== undefined) {
        quote.message = context.quotedMessage;
        quote.kind = messageKind(context.quotedMessage);
        const text = messageText(context.quotedMessage);
        if (text !== undefined) quote.text = text;
      }
      details.quote = quote;
    }
    if (context.mentionedJid !== undefined && context.mentionedJid.length > 0) details.mentions = context.mentionedJid.map(toChatJid);
    if (context.isForwarded === true) details.forwarded = true;
    if (context.forwardingScore !== undefined) details.forwardingScore = context.forwardingScore;
    if (context.expiration !== undefined) details.expiration = context.expiration;
  }
  const protocol = content?.protocolMessage;
  if (kind === 'revoke' && protocol?.key?.id !== undefined) details.revokedId = protocol.key.id;
  if (kind === 'ephemeralSetting') details.expiration = protocol?.ephemeralExpiration ?? 0;
  const location = content?.locationMessage;
  const live = content?.liveLocationMessage;
  if (location !== undefined) {
    details.location = { latitude: location.degreesLatitude ?? 0, longitude: location.degreesLongitude ?? 0, live: false };
    copyDefined(details.location, { name: location.name, address: location.address, url: location.url, comment: location.comment });
    copyDefined(details.location, { accuracyInMeters: location.accuracyInMeters });
  } else if (live !== undefined) {
    details.location = { latitude: live.degreesLatitude ?? 0, longitude: live.degreesLongitude ?? 0, live: true };
    copyDefined(details.location, { comment: live.caption, accuracyInMeters: live.accuracyInMeters });
    const sequence = Number(live.sequenceNumber);
    if (live.sequenceNumber !== undefined && Number.isSafeInteger(sequence)) details.location.sequenceNumber = sequence;
  }
  if (content?.contactMessage !== undefined) details.contacts = [cardOf(content.contactMessage)];
  if (content?.contactsArrayMessage !== undefined) details.contacts = (content.contactsArrayMessage.contacts ?? []).map(cardOf);
  return details;
}

function cardOf(contact: { displayName?: string; vcard?: string }): ContactCard {
  const card: ContactCard = { vcard: contact.vcard ?? '' };
  if (contact.displayName !== undefined) card.displayName = contact.displayName;
  return card;
}

function copyDefined<T extends object>(target: T, values: Partial<T>): void {
  for (const [key, value] of Object.entries(values)) if (value !== undefined) (target as Record<string, unknown>)[key] = value;
}

// ---- building content ------------------------------------------------------------------------

/** A location for {@link WAClient.sendLocation}. */
export interface LocationOptions {
  /** Degrees, −90 … 90. */
  latitude: number;
  /** Degrees, −180 … 180. */
  longitude: number;
  /** The place's name, e.g. `Brandenburger Tor`. */
  name?: string;
  address?: string;
  /** A web page about the place. */
  url?: string;
  /** Text shown under the map. */
  comment?: string;
  accuracyInMeters?: number;
  /** A JPEG shown as the map preview (`jpegThumbnail`). */
  thumbnail?: Uint8Array;
}

/** A position of a live location share, for {@link WAClient.sendLiveLocation} and {@link WAClient.updateLiveLocation}. */
export interface LiveLocationOptions {
  latitude: number;
  longitude: number;
  accuracyInMeters?: number;
  /** Metres per second. */
  speedInMps?: number;
  /** Heading, 0 … 359. */
  degreesClockwiseFromMagneticNorth?: number;
  /** Text shown with the share. */
  caption?: string;
  /** A JPEG map preview. */
  thumbnail?: Uint8Array;
}

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

function checkCoordinate(value: unknown, name: string, limit: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    throw new InvalidArgumentError(`${name} must be a number from -${limit} to ${limit}`);
  }
  return value;
}

function optionalText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(`${name} must be a non-empty string`);
  return value;
}

function optionalCount(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 0xffffffff) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return value as number;
}

function optionalJpeg(value: unknown, name = 'thumbnail'): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array) || value.length === 0) throw new InvalidArgumentError(`${name} must be a non-empty Uint8Array (JPEG bytes)`);
  return value;
}

function defined<T extends Record<string, unknown>>(fields: T): T {
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

/**
 * `{ locationMessage: { degreesLatitude, degreesLongitude, name?, address?, url?, comment?, jpegThumbnail? } }`.
 * @throws InvalidArgumentError for coordinates out of range or malformed fields.
 * @example
 * ```ts
 * locationContent({ latitude: 52.5163, longitude: 13.3777, name: 'Brandenburger Tor' });
 * ```
 */
export function locationContent(options: LocationOptions): MessageInput {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('location must be { latitude, longitude, … }');
  const locationMessage = defined({
    degreesLatitude: checkCoordinate(options.latitude, 'latitude', 90),
    degreesLongitude: checkCoordinate(options.longitude, 'longitude', 180),
    name: optionalText(options.name, 'name'),
    address: optionalText(options.address, 'address'),
    url: optionalText(options.url, 'url'),
    accuracyInMeters: optionalCount(options.accuracyInMeters, 'accuracyInMeters'),
    comment: optionalText(options.comment, 'comment'),
    jpegThumbnail: optionalJpeg(options.thumbnail),
  });
  return { locationMessage };
}

/**
 * `{ liveLocationMessage: { degreesLatitude, degreesLongitude, …, sequenceNumber, timeOffset } }`:
 * one position of a live share (field 18).
 * @throws InvalidArgumentError for coordinates out of range or malformed fields.
 * @example
 * ```ts
 * liveLocationContent({ latitude: 52.52, longitude: 13.40, caption: 'on my way' }, 1, 0);
 * ```
 */
export function liveLocationContent(options: LiveLocationOptions, sequenceNumber: number, timeOffset: number): MessageInput {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('live location must be { latitude, longitude, … }');
  const speed = options.speedInMps;
  if (speed !== undefined && (typeof speed !== 'number' || !Number.isFinite(speed) || speed < 0)) throw new InvalidArgumentError('speedInMps must be a non-negative number');
  const heading = optionalCount(options.degreesClockwiseFromMagneticNorth, 'degreesClockwiseFromMagneticNorth');
  if (heading !== undefined && heading > 359) throw new InvalidArgumentError('degreesClockwiseFromMagneticNorth must be from 0 to 359');
  const liveLocationMessage = defined({
    degreesLatitude: checkCoordinate(options.latitude, 'latitude', 90),
    degreesLongitude: checkCoordinate(options.longitude, 'longitude', 180),
    accuracyInMeters: optionalCount(options.accuracyInMeters, 'accuracyInMeters'),
    speedInMps: speed,
    degreesClockwiseFromMagneticNorth: heading,
    caption: optionalText(options.caption, 'caption'),
    sequenceNumber,
    timeOffset,
    jpegThumbnail: optionalJpeg(options.thumbnail),
  });
  return { liveLocationMessage };
}

/** The `FN:` (formatted name) of a vCard, unescaped, or undefined. */
function vcardName(vcard: string): string | undefined {
  const line = vcard.split(/\r?\n/).find((entry) => /^FN[;:]/i.test(entry));
  const value = line?.slice(line.indexOf(':') + 1).trim();
  return value === undefined || value === '' ? undefined : value.replace(/\\([,;\\])/g, '$1');
}

function checkCard(card: string | ContactCard, name: string): { displayName: string; vcard: string } {
  const given: ContactCard = typeof card === 'string' ? { vcard: card } : card;
  if (typeof given !== 'object' || given === null || typeof given.vcard !== 'string' || !/^BEGIN:VCARD/i.test(given.vcard.trim())) {
    throw new InvalidArgumentError(`${name} must be a vCard (BEGIN:VCARD … END:VCARD) or { vcard, displayName? }`);
  }
  const displayName = optionalText(given.displayName, `${name}.displayName`) ?? vcardName(given.vcard);
  if (displayName === undefined) throw new InvalidArgumentError(`${name} needs a displayName or an FN: line`);
  return { displayName, vcard: given.vcard };
}

/**
 * One card: `{ contactMessage: { displayName, vcard } }`; several: `{ contactsArrayMessage:
 * { displayName: "<n> contacts", contacts: [...] } }`.
 * @throws InvalidArgumentError for something that is no vCard, or an empty list.
 * @example
 * ```ts
 * contactContent('BEGIN:VCARD\nVERSION:3.0\nFN:Alice\nTEL;type=CELL;waid=15550100002:+1 555 010 0002\nEND:VCARD');
 * ```
 */
export function contactContent(cards: string | ContactCard | readonly (string | ContactCard)[]): MessageInput {
  if (Array.isArray(cards)) {
    if (cards.length === 0) throw new InvalidArgumentError('contacts must hold at least one card');
    const contacts = cards.map((card: string | ContactCard, index: number) => checkCard(card, `contacts[${index}]`));
    if (contacts.length === 1) return { contactMessage: contacts[0]! };
    return { contactsArrayMessage: { displayName: `${contacts.length} contacts`, contacts } };
  }
  return { contactMessage: checkCard(cards as string | ContactCard, 'contact') };
}

/**
 * The content of a forward, as the web client built it: a copy of the message (a plain
 * `conversation` becomes `extendedTextMessage{text}`), its `contextInfo` replaced by
 * `{ forwardingScore: n + 1, isForwarded: true }` (quote and mentions are not forwarded).
 * @throws InvalidArgumentError for a message without content that can be forwarded (a stub, a protocol message).
 * @example
 * ```ts
 * forwardContent(event.info); // { extendedTextMessage: { text, contextInfo: { forwardingScore: 1, isForwarded: true } } }
 * ```
 */
export function forwardContent(source: WebMessageInfo | MessageEvent | Message): MessageInput {
  const message = 'info' in source ? source.info.message : 'key' in source ? (source as WebMessageInfo).message : (source as Message);
  const content = messageContent(message);
  const field = content === undefined ? undefined : contentField(content);
  if (content === undefined || field === undefined || field === 'protocolMessage') {
    throw new InvalidArgumentError('only a message with content can be forwarded (not a stub, a revoke or a setting)');
  }
  const score = (contextInfoOf(content)?.forwardingScore ?? 0) + 1;
  const contextInfo: ContextInfoInput = { forwardingScore: score, isForwarded: true };
  if (field === 'conversation') return { extendedTextMessage: { text: content.conversation!, contextInfo } };
  const inner = content[field as keyof Message] as Record<string, unknown>;
  return { [field]: { ...inner, contextInfo } } as MessageInput;
}

/**
 * `content` with `extra` merged into the `contextInfo` of its content field; a `conversation`
 * becomes an `extendedTextMessage` (only that carries context info).
 * @example
 * ```ts
 * withContextInfo({ conversation: 'hi' }, { mentionedJid: ['15550100002@s.whatsapp.net'] });
 * ```
 */
export function withContextInfo(content: MessageInput, extra: ContextInfoInput): MessageInput {
  const field = contentField(content as Message);
  if (field === undefined) return content;
  if (field === 'conversation') {
    const { conversation, ...rest } = content;
    return { ...rest, extendedTextMessage: { text: conversation ?? '', contextInfo: extra } };
  }
  const inner = (content as Record<string, unknown>)[field] as { contextInfo?: ContextInfoInput | null } | null | undefined;
  return { ...content, [field]: { ...inner, contextInfo: { ...inner?.contextInfo, ...extra } } } as MessageInput;
}

// ---- disappearing messages --------------------------------------------------------------------

/**
 * A message into a chat with disappearing messages on: `contextInfo.expiration` (and the
 * setting's time) on the content, wrapped in `ephemeralMessage`. Protocol messages and messages
 * already wrapped stay as they are, as do messages to chats without a timer.
 * @example
 * ```ts
 * input = withChatEphemeral(context, chat, input); // in relayMessage
 * ```
 */
export function withChatEphemeral(context: ClientContext, chat: string, input: WebMessageInfoInput): WebMessageInfoInput {
  const seconds = context.store.chat(chat)?.ephemeralSeconds;
  const message = input.message;
  if (seconds === undefined || seconds <= 0 || message === undefined || message === null) return input;
  const field = contentField(message as Message);
  if (field === undefined || field === 'protocolMessage' || message.ephemeralMessage != null) return input;
  const since = context.store.chat(chat)?.ephemeralSince;
  const extra: ContextInfoInput = since === undefined ? { expiration: seconds } : { expiration: seconds, ephemeralSettingTimestamp: since };
  return { ...input, message: { ephemeralMessage: { message: withContextInfo(message, extra) } } };
}

/**
 * The content that turns a 1:1 chat's disappearing messages on (`seconds` > 0) or off (0):
 * `ephemeralMessage{ message: protocolMessage{ type: EPHEMERAL_SETTING, ephemeralExpiration } }`.
 * @example
 * ```ts
 * ephemeralSettingContent(7 * 24 * 3600);
 * ```
 */
export function ephemeralSettingContent(seconds: number): MessageInput {
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new InvalidArgumentError('seconds must be a non-negative integer (0 turns it off)');
  return { ephemeralMessage: { message: { protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: seconds } } } };
}

// ---- sending ---------------------------------------------------------------------------------

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

/**
 * See {@link WAClient.setDisappearingMessages}: relays the EPHEMERAL_SETTING and keeps the chat's
 * timer in the store, so later messages are wrapped.
 * @example
 * ```ts
 * await setDisappearingMessages(context, '15550100002@c.us', 604800);
 * ```
 */
export async function setDisappearingMessages(context: ClientContext, jid: string, seconds: number): Promise<SentMessage> {
  const chat = checkJid(jid);
  if (isGroupJid(chat)) throw new InvalidArgumentError('a group sets disappearing messages with groupSettings(gid, { ephemeralSeconds })');
  const sent = await sendMessage(context, chat, ephemeralSettingContent(seconds), {});
  // A setting is no message of the chat (as on the receiving side): it changes the chat instead.
  context.store.removeMessage(chat, sent.id);
  applyEphemeralSetting(context, chat, seconds, sent.timestamp);
  return sent;
}

/**
 * Keeps a chat's disappearing-messages timer (0: off) in the store; returns whether the chat list changed.
 * @example
 * ```ts
 * applyEphemeralSetting(context, chat, 604800, 1600000000);
 * ```
 */
export function applyEphemeralSetting(context: ClientContext, chat: string, seconds: number, since: number): boolean {
  return context.store.setEphemeral(chat, seconds, since);
}

