/**
 * `Message` content for the kinds beyond text and media (FACTS.md "Field numbers", "Message kinds
 * beyond FACTS' table"): location, live location, contact cards (vCard), forwards, and extra
 * `contextInfo` on any content. Each builder checks its input.
 * @module
 */
import type { ContextInfoInput, Message, MessageInput, WebMessageInfo } from '@wa/proto';
import { InvalidArgumentError } from './errors.js';
import { contentField, contextInfoOf, messageContent, type ContactCard } from './message-details.js';
import type { MessageEvent } from './types.js';

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
