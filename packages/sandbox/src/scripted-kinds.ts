/**
 * The message kinds scripted contacts send beyond text, media and location pins: any `Message`
 * content (checked by encoding it), contact cards (`contactMessage` / `contactsArrayMessage`)
 * and live locations (`liveLocationMessage`, field 18, with a `sequenceNumber`).
 * @module
 */
import { encodeMessage, type MessageInput } from '@wa/proto';
import { SandboxError } from './errors.js';

/** A position of a live location for `ContactHandle.sendLiveLocation`. */
export interface LiveLocationSendOptions {
  /** Degrees, -90 to 90. */
  latitude: number;
  /** Degrees, -180 to 180. */
  longitude: number;
  accuracyInMeters?: number;
  speedInMps?: number;
  degreesClockwiseFromMagneticNorth?: number;
  caption?: string;
  /** Grows with each update of one share (default 1). */
  sequenceNumber?: number;
  /** Seconds since the share started (default 0). */
  timeOffset?: number;
}

/** A contact card: vCard text, or the text with the name to show. */
export type ContactCardInput = string | { vcard: string; displayName?: string };

/**
 * The `Message` bytes of `message`, for `Messenger.send({ content })`.
 * @throws SandboxError INVALID_ARGUMENT for anything that is no valid `Message`
 * @example
 * ```ts
 * scriptedContent({ groupInviteMessage: { groupJid, inviteCode: 'AbCd', groupName: 'Climbing' } });
 * ```
 */
export function scriptedContent(message: MessageInput): Uint8Array {
  if (typeof message !== 'object' || message === null || Array.isArray(message) || Object.keys(message).length === 0) {
    throw new SandboxError('INVALID_ARGUMENT', 'a message must be a Message object such as { conversation: "hi" }');
  }
  try {
    return encodeMessage(message);
  } catch (error) {
    throw new SandboxError('INVALID_ARGUMENT', `not a valid Message: ${(error as Error).message}`);
  }
}

function card(input: ContactCardInput, index: number): { displayName: string; vcard: string } {
  const given = typeof input === 'string' ? { vcard: input } : input;
  if (typeof given?.vcard !== 'string' || !/^BEGIN:VCARD/i.test(given.vcard.trim())) {
    throw new SandboxError('INVALID_ARGUMENT', `contact ${index} must be a vCard (BEGIN:VCARD … END:VCARD)`);
  }
  const fn = given.vcard.split(/\r?\n/).find((line) => /^FN[;:]/i.test(line));
  const displayName = given.displayName ?? fn?.slice(fn.indexOf(':') + 1).trim();
  if (displayName === undefined || displayName === '') throw new SandboxError('INVALID_ARGUMENT', `contact ${index} needs a displayName or an FN: line`);
  return { displayName, vcard: given.vcard };
}

/**
 * `contactMessage` for one card, `contactsArrayMessage` (`displayName: "<n> contacts"`) for several.
 * @throws SandboxError INVALID_ARGUMENT for something that is no vCard, or no card at all
 * @example
 * ```ts
 * contactCardContent('BEGIN:VCARD\nVERSION:3.0\nFN:Carol\nEND:VCARD');
 * ```
 */
export function contactCardContent(cards: ContactCardInput | readonly ContactCardInput[]): MessageInput {
  const list = (Array.isArray(cards) ? cards : [cards]) as readonly ContactCardInput[];
  if (list.length === 0) throw new SandboxError('INVALID_ARGUMENT', 'at least one contact card');
  const contacts = list.map(card);
  return contacts.length === 1 ? { contactMessage: contacts[0]! } : { contactsArrayMessage: { displayName: `${contacts.length} contacts`, contacts } };
}

/**
 * Refuses a latitude outside ±90 or a longitude outside ±180 (or one that is no finite number).
 * @throws SandboxError INVALID_ARGUMENT
 * @example
 * ```ts
 * checkCoordinates(52.52, 13.4);
 * ```
 */
export function checkCoordinates(latitude: unknown, longitude: unknown): void {
  if (typeof latitude !== 'number' || !Number.isFinite(latitude) || Math.abs(latitude) > 90) throw new SandboxError('INVALID_ARGUMENT', 'latitude must be a number from -90 to 90');
  if (typeof longitude !== 'number' || !Number.isFinite(longitude) || Math.abs(longitude) > 180) throw new SandboxError('INVALID_ARGUMENT', 'longitude must be a number from -180 to 180');
}

/**
 * `liveLocationMessage` for one position of a share.
 * @throws SandboxError INVALID_ARGUMENT for coordinates out of range
 * @example
 * ```ts
 * liveLocationPin({ latitude: 52.52, longitude: 13.4, sequenceNumber: 2, timeOffset: 30 });
 * ```
 */
export function liveLocationPin(position: LiveLocationSendOptions): MessageInput {
  const { latitude, longitude } = position ?? ({} as LiveLocationSendOptions);
  checkCoordinates(latitude, longitude);
  const live: NonNullable<MessageInput['liveLocationMessage']> = {
    degreesLatitude: latitude,
    degreesLongitude: longitude,
    sequenceNumber: position.sequenceNumber ?? 1,
    timeOffset: position.timeOffset ?? 0,
  };
  if (position.accuracyInMeters !== undefined) live.accuracyInMeters = position.accuracyInMeters;
  if (position.speedInMps !== undefined) live.speedInMps = position.speedInMps;
  if (position.degreesClockwiseFromMagneticNorth !== undefined) live.degreesClockwiseFromMagneticNorth = position.degreesClockwiseFromMagneticNorth;
  if (position.caption !== undefined) live.caption = position.caption;
  return { liveLocationMessage: live };
}
