/**
 * Byte ↔ text conversions that work without Node's `Buffer`: Base64 (the protocol's `secret`,
 * `challenge`, QR public key and `clientId`), hex (vectors, logs) and UTF-8.
 * @module
 */
import { assertBytes } from './assert.js';
import { InvalidInputError } from './errors.js';

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Char code → 6-bit value, or -1 for characters outside the standard alphabet. */
const BASE64_VALUES = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

const HEX_DIGITS = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw new InvalidInputError(`${name} must be a string, got ${typeof value}`);
}

/**
 * Encodes bytes as standard padded Base64 (RFC 4648 §4), as the protocol sends them.
 * @param bytes - data to encode
 * @returns Base64 text
 * @example
 * ```ts
 * toBase64(utf8Encode('foob')); // 'Zm9vYg=='
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + BASE64_ALPHABET[(n >> 6) & 63]! + BASE64_ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += BASE64_ALPHABET[n >> 18]! + BASE64_ALPHABET[(n >> 12) & 63]! + BASE64_ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** The 6-bit value of the Base64 character at `index`; throws for anything outside the alphabet. */
function sextetAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? (BASE64_VALUES[code] as number) : -1;
  if (value < 0) throw new InvalidInputError(`invalid Base64 character at index ${index}`);
  return value;
}

/**
 * Decodes standard padded Base64 strictly: the length must be a multiple of 4, only the
 * RFC 4648 alphabet is allowed (no whitespace, no URL-safe characters), padding only at the
 * end, and unused trailing bits must be zero. Strictness means one byte string has exactly one
 * accepted text, so a corrupted `secret` or `challenge` is reported here rather than turning
 * into different bytes.
 * @param text - Base64 text
 * @returns the decoded bytes
 * @throws InvalidInputError on any deviation
 * @example
 * ```ts
 * const secret = fromBase64(conn.secret); // 144 bytes
 * ```
 */
export function fromBase64(text: string): Uint8Array {
  assertString(text, 'text');
  if (text.length % 4 !== 0) throw new InvalidInputError(`Base64 length must be a multiple of 4, got ${text.length}`);
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  const fullEnd = padding === 0 ? text.length : text.length - 4;
  let o = 0;
  for (let i = 0; i < fullEnd; i += 4) {
    const n = (sextetAt(text, i) << 18) | (sextetAt(text, i + 1) << 12) | (sextetAt(text, i + 2) << 6) | sextetAt(text, i + 3);
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (padding === 2) {
    const n = (sextetAt(text, fullEnd) << 18) | (sextetAt(text, fullEnd + 1) << 12);
    if (n & 0xffff) throw new InvalidInputError('non-zero trailing bits in Base64');
    out[o] = n >> 16;
  } else if (padding === 1) {
    const n = (sextetAt(text, fullEnd) << 18) | (sextetAt(text, fullEnd + 1) << 12) | (sextetAt(text, fullEnd + 2) << 6);
    if (n & 0xff) throw new InvalidInputError('non-zero trailing bits in Base64');
    out[o] = n >> 16;
    out[o + 1] = (n >> 8) & 255;
  }
  return out;
}

/**
 * Encodes bytes as lower-case hex.
 * @param bytes - data to encode
 * @returns hex text, two characters per byte
 * @example
 * ```ts
 * toHex(new Uint8Array([0xde, 0xad])); // 'dead'
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_DIGITS[bytes[i] as number]!;
  return out;
}

function hexNibble(code: number, index: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  throw new InvalidInputError(`invalid hex character at index ${index}`);
}

/**
 * Decodes hex text (either case) into bytes.
 * @param text - hex text of even length
 * @returns the decoded bytes
 * @throws InvalidInputError on odd length or a non-hex character
 * @example
 * ```ts
 * fromHex('DEad'); // Uint8Array [0xde, 0xad]
 * ```
 */
export function fromHex(text: string): Uint8Array {
  assertString(text, 'text');
  if (text.length % 2 !== 0) throw new InvalidInputError(`hex length must be even, got ${text.length}`);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = (hexNibble(text.charCodeAt(2 * i), 2 * i) << 4) | hexNibble(text.charCodeAt(2 * i + 1), 2 * i + 1);
  }
  return out;
}

const utf8Encoder = /* @__PURE__ */ new TextEncoder();
const utf8Decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Encodes a string as UTF-8 (lone surrogates become U+FFFD, as `TextEncoder` does).
 * @param text - string to encode
 * @returns UTF-8 bytes
 * @example
 * ```ts
 * utf8Encode('WhatsApp Image Keys'); // 19 bytes
 * ```
 */
export function utf8Encode(text: string): Uint8Array {
  assertString(text, 'text');
  return utf8Encoder.encode(text);
}

/**
 * Decodes UTF-8 strictly: malformed sequences throw instead of silently becoming U+FFFD, and a
 * leading byte-order mark is kept, so decoding never hides corruption.
 * @param bytes - UTF-8 bytes
 * @returns the decoded string
 * @throws InvalidInputError on malformed UTF-8
 * @example
 * ```ts
 * utf8Decode(new Uint8Array([0x68, 0x69])); // 'hi'
 * ```
 */
export function utf8Decode(bytes: Uint8Array): string {
  assertBytes(bytes, 'bytes');
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new InvalidInputError('bytes are not valid UTF-8');
  }
}
