/**
 * The per-message encoding work of the sandbox, kept small: a direct writer for the plain texts
 * the sandbox makes up (what `@wa/proto`'s encoder writes for them, byte for byte, without its
 * object conversions), the status of a canonical encoding changed in place, and a cache of the
 * bytes of a stored message for as long as what they were built from stays the same.
 * @module
 */
import { utf8Encode } from '@wa/crypto';
import type { MessageData, MessageStatus } from '../world/types.js';

/** `WebMessageInfo.Status` numbers. */
export const statusNumber: Readonly<Record<MessageStatus, number>> = Object.freeze({ ERROR: 0, PENDING: 1, SERVER_ACK: 2, DELIVERY_ACK: 3, READ: 4, PLAYED: 5 });

/** A plain text `WebMessageInfo` as the sandbox makes them up (all ids already in protobuf form). */
export interface TextInfo {
  remoteJid: string;
  fromMe: boolean;
  id: string;
  /** In groups: `key.participant` and `participant`. */
  participant?: string;
  text: string;
  /** Unix seconds (uint64: a non-negative integer). */
  timestamp: number;
  /** Written when given (the sender's view); incoming messages carry none. */
  status?: MessageStatus;
}

function varintLength(value: number): number {
  let length = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    length += 1;
  }
  return length;
}

function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[at++] = value;
  return at;
}

/**
 * A string field's content: the string itself when it is ASCII (one byte per character, written
 * as is: ids and most texts), else its UTF-8 bytes.
 */
type Utf8 = string | Uint8Array;

function utf8(value: string): Utf8 {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) >= 0x80) return utf8Encode(value);
  return value;
}

function writeBytes(out: Uint8Array, at: number, field: number, bytes: Utf8): number {
  out[at++] = (field << 3) | 2;
  at = writeVarint(out, at, bytes.length);
  if (typeof bytes === 'string') {
    for (let i = 0; i < bytes.length; i++) out[at + i] = bytes.charCodeAt(i);
  } else out.set(bytes, at);
  return at + bytes.length;
}

const fieldLength = (bytes: Utf8): number => 1 + varintLength(bytes.length) + bytes.length;

/**
 * The bytes `encodeWebMessageInfo` writes for `{ key: { remoteJid, fromMe, id[, participant] },
 * message: { conversation: text }, messageTimestamp[, status][, participant] }`: fields in number
 * order, `fromMe` written even when false, an empty text written as an empty string.
 * @example
 * ```ts
 * encodeTextInfo({ remoteJid: '15550100003@s.whatsapp.net', fromMe: false, id: '3A…', text: 'hi', timestamp: 1600000000 });
 * ```
 */
export function encodeTextInfo(info: TextInfo): Uint8Array {
  if (!Number.isSafeInteger(info.timestamp) || info.timestamp < 0) throw new RangeError(`messageTimestamp must be a non-negative integer, got ${info.timestamp}`);
  const remoteJid = utf8(info.remoteJid);
  const id = utf8(info.id);
  const participant = info.participant === undefined ? undefined : utf8(info.participant);
  const text = utf8(info.text);
  const keyLength = fieldLength(remoteJid) + 2 + fieldLength(id) + (participant === undefined ? 0 : fieldLength(participant));
  const messageLength = fieldLength(text);
  const total =
    1 + varintLength(keyLength) + keyLength +
    1 + varintLength(messageLength) + messageLength +
    1 + varintLength(info.timestamp) +
    (info.status === undefined ? 0 : 2) +
    (participant === undefined ? 0 : fieldLength(participant));
  const out = new Uint8Array(total);
  let at = 0;
  out[at++] = 0x0a; // key
  at = writeVarint(out, at, keyLength);
  at = writeBytes(out, at, 1, remoteJid);
  out[at++] = 0x10; // key.fromMe
  out[at++] = info.fromMe ? 1 : 0;
  at = writeBytes(out, at, 3, id);
  if (participant !== undefined) at = writeBytes(out, at, 4, participant);
  out[at++] = 0x12; // message
  at = writeVarint(out, at, messageLength);
  at = writeBytes(out, at, 1, text); // message.conversation
  out[at++] = 0x18; // messageTimestamp
  at = writeVarint(out, at, info.timestamp);
  if (info.status !== undefined) {
    out[at++] = 0x20; // status
    out[at++] = statusNumber[info.status];
  }
  if (participant !== undefined) at = writeBytes(out, at, 5, participant);
  return out;
}

/**
 * `bytes` (a canonical `WebMessageInfo`: top-level fields in number order, as `@wa/proto` writes
 * them) with its `status` (field 4) set to `status`, or removed when `status` is undefined; what
 * decoding, changing the status and encoding again would give, without either. `undefined` when
 * the top level cannot be walked (the caller falls back to the full round trip).
 * @example
 * ```ts
 * const delivered = withStatus(encodeWebMessageInfo(info), 'DELIVERY_ACK');
 * ```
 */
export function withStatus(bytes: Uint8Array, status: MessageStatus | undefined): Uint8Array | undefined {
  // Where field 4 is (or would be), and where it ends.
  let start = -1;
  let end = -1;
  let at = 0;
  let last = 0;
  while (at < bytes.length) {
    const fieldStart = at;
    let tag = 0;
    let shift = 1;
    for (;;) {
      if (at >= bytes.length) return undefined;
      const byte = bytes[at++]!;
      tag += (byte & 0x7f) * shift;
      shift *= 0x80;
      if (byte < 0x80) break;
    }
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field < last) return undefined;
    last = field;
    if (wire === 0) {
      while (at < bytes.length && bytes[at]! >= 0x80) at += 1;
      at += 1;
    } else if (wire === 2) {
      let length = 0;
      shift = 1;
      for (;;) {
        if (at >= bytes.length) return undefined;
        const byte = bytes[at++]!;
        length += (byte & 0x7f) * shift;
        shift *= 0x80;
        if (byte < 0x80) break;
      }
      at += length;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else return undefined;
    if (at > bytes.length) return undefined;
    if (field === 4) {
      if (start >= 0 || wire !== 0) return undefined;
      start = fieldStart;
      end = at;
    } else if (field > 4 && start < 0) {
      start = end = fieldStart;
    }
  }
  if (start < 0) start = end = bytes.length;
  const insert = status === undefined ? 0 : 2;
  const out = new Uint8Array(bytes.length - (end - start) + insert);
  out.set(bytes.subarray(0, start), 0);
  if (status !== undefined) {
    out[start] = 0x20;
    out[start + 1] = statusNumber[status];
  }
  out.set(bytes.subarray(end), start + insert);
  return out;
}

interface CachedBytes {
  raw: string;
  status: MessageStatus;
  bytes: Uint8Array;
}

/**
 * The bytes last built for a stored message that keeps its original bytes (`raw`), by message:
 * valid while `raw` and `status` are the ones they were built from. Only for messages whose bytes
 * do not depend on anything else (no media URL to re-base).
 */
const cache = new WeakMap<MessageData, CachedBytes>();

/** The cached bytes of `message`, if still valid. */
export function cachedInfoBytes(message: MessageData): Uint8Array | undefined {
  const entry = cache.get(message);
  return entry !== undefined && entry.raw === message.raw && entry.status === message.status ? entry.bytes : undefined;
}

/** Remembers `bytes` as the encoding of `message` (with its current `raw` and `status`). */
export function rememberInfoBytes(message: MessageData, bytes: Uint8Array): void {
  if (message.raw !== undefined) cache.set(message, { raw: message.raw, status: message.status, bytes });
}
