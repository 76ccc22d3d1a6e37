/**
 * What a received message is, for the `message` event ({@link describeMessage}): its kind by the
 * field of `Message` it carries (after unwrapping `ephemeralMessage`), the quote, mentions,
 * forwarding, expiration, location and contact cards.
 * @module
 */
import { messageText, type ContextInfo, type Message, type WebMessageInfo } from '@wa/proto';
import { toChatJid } from './jid.js';

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
export function contentField(message: Message): string | undefined {
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
  return kindOf(content, content === undefined ? undefined : contentField(content), info?.messageStubType !== undefined);
}

/** The kind of unwrapped `content` whose content field is `field`; `stub` when it has none and the message is a stub. */
function kindOf(content: Message | undefined, field: string | undefined, isStub: boolean): MessageKind {
  if (content === undefined || field === undefined) return isStub ? 'stub' : 'unknown';
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
  return content === undefined ? undefined : contextOf(content, contentField(content));
}

/** The `contextInfo` of unwrapped `content` whose content field is `field`. */
function contextOf(content: Message, field: string | undefined): ContextInfo | undefined {
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
  // Most messages are a bare `conversation`: nothing else to read off them.
  if (info.starred !== true && isBareConversation(info.message)) return { kind: 'text' };
  // The content and its field are found once, for the kind and the context info both.
  const message = info.message;
  const content = messageContent(message);
  const field = content === undefined ? undefined : contentField(content);
  const kind = kindOf(content, field, info.messageStubType !== undefined);
  const details: MessageDetails = { kind };
  if (message?.ephemeralMessage !== undefined) details.ephemeral = true;
  if (info.starred === true) details.starred = true;
  if (kind === 'stub' && info.messageStubType !== undefined) details.stubType = info.messageStubType;
  const context = content === undefined ? undefined : contextOf(content, field);
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

/** A `Message` whose one field is `conversation`. */
function isBareConversation(message: Message | undefined): boolean {
  if (message === undefined) return false;
  let fields = 0;
  for (const key in message) if (key !== 'conversation' || ++fields > 1) return false;
  return fields === 1;
}

function cardOf(contact: { displayName?: string; vcard?: string }): ContactCard {
  const card: ContactCard = { vcard: contact.vcard ?? '' };
  if (contact.displayName !== undefined) card.displayName = contact.displayName;
  return card;
}

function copyDefined<T extends object>(target: T, values: Partial<T>): void {
  for (const [key, value] of Object.entries(values)) if (value !== undefined) (target as Record<string, unknown>)[key] = value;
}
